//! The offline package: the whole site as one zip archive for download.

use crate::diag::Diagnostic;
use crate::output::OutFile;

/// Name of the archive inside the output.
pub const ARCHIVE_NAME: &str = "site-offline.zip";

/// Zips every file of the site (deterministic: sorted paths, fixed timestamps).
pub fn zip_site(files: &[OutFile]) -> Result<OutFile, Diagnostic> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        let err = |e: &dyn std::fmt::Display| {
            Diagnostic::error(
                "E031",
                ARCHIVE_NAME,
                format!("cannot write the offline archive: {e}"),
            )
            .hint("report this as a bug")
        };
        for f in files {
            zip.start_file(format!("site/{}", f.path), opts)
                .map_err(|e| err(&e))?;
            zip.write_all(&f.bytes).map_err(|e| err(&e))?;
        }
        zip.finish().map_err(|e| err(&e))?;
    }
    Ok(OutFile {
        path: ARCHIVE_NAME.into(),
        bytes: buf.into_inner().into(),
    })
}
