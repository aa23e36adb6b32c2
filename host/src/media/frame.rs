//! Decoded video frames and their pixel layout.

use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::color;
use ffmpeg_next as ffmpeg;

/// How the pixels of a decoded frame are laid out for upload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PixelLayout {
    /// Three planes, Y at full size and U, V at half width and height
    /// (rounded up).
    Yuv420 {
        /// JPEG/full range (0..=255) instead of video range (16..=235).
        full_range: bool,
        /// BT.709 matrix instead of BT.601.
        bt709: bool,
    },
    /// One plane of 8-bit R, G, B, A.
    Rgba,
}

/// One decoded video frame, ready for upload.
pub struct VideoFrame {
    frame: ffmpeg::frame::Video,
    index: u64,
    pts: Option<i64>,
    time_sec: f64,
    layout: PixelLayout,
}

impl VideoFrame {
    /// 0-based position of this frame in the decoder's output order.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// Best-effort presentation timestamp in the video stream's time base.
    pub fn pts(&self) -> Option<i64> {
        self.pts
    }

    /// Presentation time in seconds from the stream's start (never negative).
    pub fn time_sec(&self) -> f64 {
        self.time_sec
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.frame.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.frame.height()
    }

    /// How the planes are laid out.
    pub fn layout(&self) -> PixelLayout {
        self.layout
    }

    /// Bytes of plane `i` (Yuv420: 0 = Y, 1 = U, 2 = V; Rgba: 0 only);
    /// empty for a plane the layout does not have.
    pub fn plane(&self, i: usize) -> &[u8] {
        if i < self.frame.planes() { self.frame.data(i) } else { &[] }
    }

    /// Bytes per row (linesize) of plane `i`; 0 for a plane the layout does not have.
    pub fn stride(&self, i: usize) -> usize {
        if i < self.frame.planes() { self.frame.stride(i) } else { 0 }
    }
}

/// Converts decoder output that is not 4:2:0 YUV into RGBA, reusing one
/// swscale context while the input format and size stay the same.
#[derive(Default)]
pub(crate) struct Converter {
    scaler: Option<SendScaler>,
}

/// A swscale context that can move between threads.
struct SendScaler(scaling::Context);

// SAFETY: a `SwsContext` holds no thread-local state and no references to
// other objects; this wrapper owns it exclusively (it is never shared), so
// moving it to another thread and using it there is sound.
unsafe impl Send for SendScaler {}

/// What [`Converter::convert`] needs to know about a decoded frame.
pub(crate) struct FrameMeta {
    pub index: u64,
    pub pts: Option<i64>,
    pub time_sec: f64,
}

impl Converter {
    /// Wraps a decoded frame, converting it to RGBA when it is not 4:2:0 YUV.
    pub(crate) fn convert(
        &mut self,
        decoded: ffmpeg::frame::Video,
        meta: FrameMeta,
    ) -> Result<VideoFrame, ffmpeg::Error> {
        let (frame, layout) = match decoded.format() {
            Pixel::YUV420P | Pixel::YUVJ420P => {
                let layout = yuv_layout(&decoded);
                (decoded, layout)
            }
            _ => (self.convert_to_rgba(&decoded)?, PixelLayout::Rgba),
        };
        Ok(VideoFrame { frame, index: meta.index, pts: meta.pts, time_sec: meta.time_sec, layout })
    }

    fn convert_to_rgba(&mut self, src: &ffmpeg::frame::Video) -> Result<ffmpeg::frame::Video, ffmpeg::Error> {
        let (format, width, height) = (src.format(), src.width(), src.height());
        let reusable = self.scaler.as_ref().is_some_and(|s| {
            let input = s.0.input();
            input.format == format && input.width == width && input.height == height
        });
        if !reusable {
            let ctx = scaling::Context::get(
                format,
                width,
                height,
                Pixel::RGBA,
                width,
                height,
                scaling::Flags::BILINEAR | scaling::Flags::ACCURATE_RND | scaling::Flags::FULL_CHR_H_INT,
            )?;
            self.scaler = Some(SendScaler(ctx));
        }
        let scaler = self.scaler.as_mut().ok_or(ffmpeg::Error::Bug)?;
        let mut out = ffmpeg::frame::Video::new(Pixel::RGBA, width, height);
        scaler.0.run(src, &mut out)?;
        out.set_pts(src.pts());
        Ok(out)
    }
}

/// Range and matrix of a 4:2:0 frame; unspecified matrices default to
/// BT.601 below 720 lines and BT.709 from 720 lines up.
fn yuv_layout(frame: &ffmpeg::frame::Video) -> PixelLayout {
    let full_range = frame.format() == Pixel::YUVJ420P || frame.color_range() == color::Range::JPEG;
    let bt709 = match frame.color_space() {
        color::Space::BT709 => true,
        color::Space::Unspecified | color::Space::Reserved => frame.height() >= 720,
        _ => false,
    };
    PixelLayout::Yuv420 { full_range, bt709 }
}
