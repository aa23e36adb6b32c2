//! style/anime: being written.
