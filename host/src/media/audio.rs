//! Audio for the sink: stream copy when the container accepts the codec,
//! otherwise decode, resample and re-encode to AAC.

use std::path::Path;

use ffmpeg::codec::Capabilities;
use ffmpeg::{ChannelLayout, Rational, codec, filter, format};
use ffmpeg_next as ffmpeg;

use super::MediaError;
use super::plan::AudioStreamPlan;

/// How one input audio stream reaches its output stream.
pub(crate) struct AudioOutput {
    /// Output stream index.
    pub ost: usize,
    /// Input packets' time base.
    pub in_tb: Rational,
    /// Output stream time base (known after the header is written).
    pub ost_tb: Rational,
    /// `None` for stream copy.
    pub transcoder: Option<Box<Transcoder>>,
}

/// Decoder, filter graph and AAC encoder for one stream.
pub(crate) struct Transcoder {
    decoder: codec::decoder::Audio,
    graph: filter::Graph,
    encoder: codec::encoder::Audio,
}

/// Whether `octx`'s container can store `id` (`avformat_query_codec` == 1).
pub(crate) fn container_accepts(octx: &format::context::Output, id: codec::Id) -> bool {
    // SAFETY: `oformat` is the valid AVOutputFormat of an open output context;
    // avformat_query_codec only reads it.
    unsafe {
        let oformat = (*octx.as_ptr()).oformat;
        ffmpeg::ffi::avformat_query_codec(oformat, id.into(), ffmpeg::ffi::FF_COMPLIANCE_NORMAL) == 1
    }
}

/// Adds an output stream for `plan` to `octx`: a copy when the container
/// accepts the codec, otherwise AAC. Returns `Ok(None)` (and logs) when the
/// stream cannot be carried at all.
pub(crate) fn add_stream(
    path: &Path,
    octx: &mut format::context::Output,
    plan: &AudioStreamPlan,
) -> Result<Option<AudioOutput>, MediaError> {
    let id = plan.params.id();
    let metadata = dictionary(&plan.metadata);
    if container_accepts(octx, id) {
        let mut ost = octx
            .add_stream(None::<ffmpeg::Codec>)
            .map_err(|e| MediaError::encode(path, format!("cannot add audio stream: {e}")))?;
        ost.set_parameters(plan.params.clone());
        // SAFETY: the stream's codecpar is valid and owned by the output
        // context; a zero tag lets the muxer pick its own tag for the codec.
        unsafe {
            (*ost.parameters().as_mut_ptr()).codec_tag = 0;
        }
        ost.set_time_base(plan.time_base);
        ost.set_metadata(metadata);
        return Ok(Some(AudioOutput {
            ost: ost.index(),
            in_tb: plan.time_base,
            ost_tb: plan.time_base,
            transcoder: None,
        }));
    }
    if !container_accepts(octx, codec::Id::AAC) {
        tracing::warn!(path = %path.display(), codec = ?id, "container takes neither the audio codec nor AAC; dropping audio stream");
        return Ok(None);
    }
    match Transcoder::new(path, octx, plan) {
        Ok((transcoder, ost)) => {
            if let Some(mut stream) = octx.stream_mut(ost) {
                stream.set_metadata(metadata);
            }
            Ok(Some(AudioOutput {
                ost,
                in_tb: plan.time_base,
                ost_tb: plan.time_base,
                transcoder: Some(Box::new(transcoder)),
            }))
        }
        Err(TranscodeSetup::NoDecoder) => {
            tracing::warn!(path = %path.display(), codec = ?id, "no decoder for audio stream; dropping it");
            Ok(None)
        }
        Err(TranscodeSetup::Failed(e)) => Err(e),
    }
}

/// Why a transcoder could not be built.
enum TranscodeSetup {
    /// The input codec cannot be decoded; the stream is dropped.
    NoDecoder,
    /// Anything else is an error.
    Failed(MediaError),
}

fn dictionary(pairs: &[(String, String)]) -> ffmpeg::Dictionary<'static> {
    let mut dict = ffmpeg::Dictionary::new();
    for (k, v) in pairs {
        dict.set(k, v);
    }
    dict
}

impl Transcoder {
    fn new(
        path: &Path,
        octx: &mut format::context::Output,
        plan: &AudioStreamPlan,
    ) -> Result<(Transcoder, usize), TranscodeSetup> {
        let fail = |what: &str, e: ffmpeg::Error| {
            TranscodeSetup::Failed(MediaError::encode(path, format!("audio {what}: {e}")))
        };
        let mut dctx = codec::Context::from_parameters(plan.params.clone()).map_err(|e| fail("decoder setup", e))?;
        // SAFETY: valid, unopened context we own; pkt_timebase is plain data.
        unsafe {
            (*dctx.as_mut_ptr()).pkt_timebase = plan.time_base.into();
        }
        dctx.set_time_base(plan.time_base);
        let mut decoder = match dctx.decoder().audio() {
            Ok(d) => d,
            Err(ffmpeg::Error::DecoderNotFound) => return Err(TranscodeSetup::NoDecoder),
            Err(e) => return Err(fail("decoder open", e)),
        };
        if decoder.channel_layout().bits() == 0 {
            decoder.set_channel_layout(ChannelLayout::default(i32::from(decoder.channels())));
        }
        let rate = decoder.rate();
        if rate == 0 || decoder.channels() == 0 {
            return Err(fail("stream parameters", ffmpeg::Error::InvalidData));
        }

        let codec = ffmpeg::encoder::find_by_name("aac")
            .or_else(|| ffmpeg::encoder::find(codec::Id::AAC))
            .ok_or_else(|| fail("encoder", ffmpeg::Error::EncoderNotFound))?;
        let acodec = codec.audio().map_err(|e| fail("encoder", e))?;
        let channels = i32::from(decoder.channels());
        let layout = acodec.channel_layouts().map(|cls| cls.best(channels)).unwrap_or(ChannelLayout::STEREO);
        let sample_format =
            acodec.formats().and_then(|mut f| f.next()).unwrap_or(format::Sample::F32(format::sample::Type::Planar));

        let global = octx.format().flags().contains(format::Flags::GLOBAL_HEADER);
        let mut ost = octx.add_stream(codec).map_err(|e| fail("output stream", e))?;
        let ost_index = ost.index();
        let mut encoder = codec::Context::new_with_codec(codec).encoder().audio().map_err(|e| fail("encoder", e))?;
        if global {
            encoder.set_flags(codec::Flags::GLOBAL_HEADER);
        }
        encoder.set_rate(rate as i32);
        encoder.set_channel_layout(layout);
        encoder.set_channels(layout.channels());
        encoder.set_format(sample_format);
        encoder.set_bit_rate((64_000 * layout.channels().max(1) as usize).min(256_000));
        encoder.set_time_base((1, rate as i32));
        let encoder = encoder.open_as(codec).map_err(|e| fail("encoder open", e))?;
        ost.set_parameters(&encoder);
        ost.set_time_base((1, rate as i32));

        let graph = build_graph(&decoder, &encoder, plan.time_base).map_err(|e| fail("filter graph", e))?;
        Ok((Transcoder { decoder, graph, encoder }, ost_index))
    }

    /// Decodes one packet and writes whatever AAC packets come out.
    pub(crate) fn push_packet(
        &mut self,
        packet: &ffmpeg::Packet,
        out: &mut dyn FnMut(ffmpeg::Packet) -> Result<(), ffmpeg::Error>,
    ) -> Result<(), ffmpeg::Error> {
        if let Err(e) = self.decoder.send_packet(packet) {
            // A damaged audio packet should not end the whole encode.
            tracing::warn!(error = %e, "skipping undecodable audio packet");
            return Ok(());
        }
        self.drain_decoder(out)
    }

    /// Flushes decoder, filter and encoder.
    pub(crate) fn finish(
        &mut self,
        out: &mut dyn FnMut(ffmpeg::Packet) -> Result<(), ffmpeg::Error>,
    ) -> Result<(), ffmpeg::Error> {
        self.decoder.send_eof()?;
        self.drain_decoder(out)?;
        self.graph.get("in").ok_or(ffmpeg::Error::Bug)?.source().flush()?;
        self.drain_filter(out)?;
        self.encoder.send_eof()?;
        self.drain_encoder(out)
    }

    fn drain_decoder(
        &mut self,
        out: &mut dyn FnMut(ffmpeg::Packet) -> Result<(), ffmpeg::Error>,
    ) -> Result<(), ffmpeg::Error> {
        let mut decoded = ffmpeg::frame::Audio::empty();
        while self.decoder.receive_frame(&mut decoded).is_ok() {
            let ts = decoded.timestamp();
            decoded.set_pts(ts);
            self.graph.get("in").ok_or(ffmpeg::Error::Bug)?.source().add(&decoded)?;
            self.drain_filter(out)?;
        }
        Ok(())
    }

    fn drain_filter(
        &mut self,
        out: &mut dyn FnMut(ffmpeg::Packet) -> Result<(), ffmpeg::Error>,
    ) -> Result<(), ffmpeg::Error> {
        let mut filtered = ffmpeg::frame::Audio::empty();
        loop {
            let sink_tb = {
                let mut sink_ctx = self.graph.get("out").ok_or(ffmpeg::Error::Bug)?;
                let mut sink = sink_ctx.sink();
                if sink.frame(&mut filtered).is_err() {
                    return Ok(());
                }
                sink.time_base()
            };
            if let Some(pts) = filtered.pts() {
                filtered.set_pts(Some(ffmpeg::Rescale::rescale(&pts, sink_tb, self.encoder.time_base())));
            }
            self.encoder.send_frame(&filtered)?;
            self.drain_encoder(out)?;
        }
    }

    fn drain_encoder(
        &mut self,
        out: &mut dyn FnMut(ffmpeg::Packet) -> Result<(), ffmpeg::Error>,
    ) -> Result<(), ffmpeg::Error> {
        loop {
            let mut encoded = ffmpeg::Packet::empty();
            if self.encoder.receive_packet(&mut encoded).is_err() {
                return Ok(());
            }
            out(encoded)?;
        }
    }

    /// The encoder's time base (packets come out in it).
    pub(crate) fn time_base(&self) -> Rational {
        self.encoder.time_base()
    }
}

/// abuffer -> aresample -> abuffersink, with the sink constrained to what the
/// encoder takes and cut into encoder-sized frames.
fn build_graph(
    decoder: &codec::decoder::Audio,
    encoder: &codec::encoder::Audio,
    in_tb: Rational,
) -> Result<filter::Graph, ffmpeg::Error> {
    let mut graph = filter::Graph::new();
    let args = format!(
        "time_base={}:sample_rate={}:sample_fmt={}:channel_layout=0x{:x}",
        in_tb,
        decoder.rate(),
        decoder.format().name(),
        decoder.channel_layout().bits()
    );
    let abuffer = filter::find("abuffer").ok_or(ffmpeg::Error::FilterNotFound)?;
    let abuffersink = filter::find("abuffersink").ok_or(ffmpeg::Error::FilterNotFound)?;
    graph.add(&abuffer, "in", &args)?;
    graph.add(&abuffersink, "out", "")?;
    {
        let mut out = graph.get("out").ok_or(ffmpeg::Error::Bug)?;
        out.set_sample_format(encoder.format());
        out.set_channel_layout(encoder.channel_layout());
        out.set_sample_rate(encoder.rate());
    }
    graph.output("in", 0)?.input("out", 0)?.parse("aresample=async=1")?;
    graph.validate()?;
    let variable = encoder.codec().is_some_and(|c| c.capabilities().contains(Capabilities::VARIABLE_FRAME_SIZE));
    if !variable {
        graph.get("out").ok_or(ffmpeg::Error::Bug)?.sink().set_frame_size(encoder.frame_size());
    }
    Ok(graph)
}
