//! style/pixel-art: being written.
