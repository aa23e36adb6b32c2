//! Property tests of Pikaffects (being written).
