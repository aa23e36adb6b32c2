//! The page, embedded in the binary so that it works offline.

/// The single page: markup, style and script.
pub const INDEX_HTML: &str = include_str!("../../web/index.html");
