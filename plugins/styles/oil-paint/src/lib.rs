//! style/oil-paint: being written.
