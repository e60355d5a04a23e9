//! CPU time of phrase breaking over the Markdown bodies of a site (one thread):
//!     cargo run --release --example phrase_bench -- DIR [REPEAT]
fn main() {
    let dir = std::env::args().nth(1).expect("a folder of Markdown files");
    let repeat: usize = std::env::args()
        .nth(2)
        .map_or(1, |r| r.parse().expect("a number"));
    let mut texts = Vec::new();
    for e in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.path().extension().is_some_and(|x| x == "md") {
            let s = std::fs::read_to_string(e.path()).unwrap();
            let body = s.rsplit("+++\n").next().unwrap_or("").to_string();
            texts.extend(body.lines().map(str::to_string));
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum::<usize>() * repeat;
    let t = std::time::Instant::now();
    let mut out = String::new();
    let mut n = 0;
    for _ in 0..repeat {
        for s in &texts {
            out.clear();
            seisaku::typeset::wbr::push_broken(s, &mut out);
            n += out.len();
        }
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "{:.1} MB in {:.3} s: {:.1} MB/s ({n} bytes out)",
        bytes as f64 / 1e6,
        el,
        bytes as f64 / 1e6 / el
    );
}
