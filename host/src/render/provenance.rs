//! Where an output came from: source hash, stack, plugin hashes, host
//! version. Embedded in the output's metadata and returned to callers.

use crate::stack::PreparedStack;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The metadata key the provenance JSON is stored under. MP4 keeps only a
/// few well-known tags by default; `comment` survives every container.
pub const METADATA_KEY: &str = "comment";
/// Prefix of the metadata value, so readers can tell it apart.
pub const METADATA_PREFIX: &str = "pikafx-provenance:";

/// Hex SHA-256 of a file, streamed.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The provenance record of one render.
pub fn record(source_sha256: &str, stack: &PreparedStack, padded_from: Option<(u32, u32)>) -> serde_json::Value {
    serde_json::json!({
        "host": format!("pikafx {}", env!("CARGO_PKG_VERSION")),
        "source_sha256": source_sha256,
        "stack": stack.canonical(),
        "padded_from": padded_from.map(|(w, h)| format!("{w}x{h}")),
    })
}

/// Reads the provenance back from a metadata value, if it is one.
pub fn parse(value: &str) -> Option<serde_json::Value> {
    serde_json::from_str(value.strip_prefix(METADATA_PREFIX)?).ok()
}
