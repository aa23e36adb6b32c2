//! Property tests of style presets (being written).
