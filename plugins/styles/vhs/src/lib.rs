//! style/vhs: being written.
