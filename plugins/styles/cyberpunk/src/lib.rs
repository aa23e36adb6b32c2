//! style/cyberpunk: being written.
