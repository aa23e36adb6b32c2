//! style/vintage-8mm: being written.
