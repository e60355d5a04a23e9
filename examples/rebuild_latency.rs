//! Watch-mode rebuild time, measured in process (no watcher, no server, no browser): builds a
//! site once with watch mode's caches, then edits one policy body again and again, as the
//! watcher would report it, timing each rebuild up to the moment its pages could be served.
//! The search index that follows each rebuild is made too, as in watch mode, but not timed.
//!
//!     cargo run --release --example rebuild_latency -- SITE [EDITS] [PAUSE_MS]

use seisaku::build::Caches;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The allocator of the `seisaku` program, so that the times are its times.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(1).expect("SITE"));
    let edits: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(30);
    let pause = Duration::from_millis(args.get(3).and_then(|n| n.parse().ok()).unwrap_or(200));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("content/policies"))
        .expect("content/policies")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let target = files.first().expect("a policy").clone();
    let original = std::fs::read_to_string(&target).expect("readable");
    let caches = Caches::default();
    caches.parsed.reported_by_watcher();
    let t = Instant::now();
    seisaku::serve::build_in_stages(&root, &caches, |_| {}).expect("the site builds");
    eprintln!("first build: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        std::thread::sleep(pause);
        let edited = original.replacen("\n+++\n", &format!("\n+++\n編集{i}。"), 1);
        std::fs::write(&target, edited).expect("writable");
        caches.parsed.changed([target.clone()], false);
        caches.pages.clear_interrupt();
        let t = Instant::now();
        let mut served = None;
        seisaku::serve::build_in_stages(&root, &caches, |_| served = Some(t.elapsed()))
            .expect("the site builds");
        times.push(served.expect("pages made").as_secs_f64() * 1e3);
    }
    std::fs::write(&target, original).expect("writable");
    times.sort_by(f64::total_cmp);
    println!(
        "{}: rebuild to pages, {edits} edits {} ms apart: median {:.1} ms, min {:.1}, p90 {:.1}, max {:.1}",
        root.display(),
        pause.as_millis(),
        times[times.len() / 2],
        times[0],
        times[times.len() * 9 / 10],
        times[times.len() - 1]
    );
}
