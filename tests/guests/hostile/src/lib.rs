//! `style/hostile`: a deliberately misbehaving guest for the host's sandbox
//! tests. Its `mode` choice selects the misbehaviour; `ok` (the default) is a
//! well-behaved copy of the input. See `MODES` for the list and the exact
//! error strings each mode returns.

use std::hash::BuildHasher;

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Texture, choice_param, compile, create_texture, dispatch, hash_combine,
};

const WGSL: &str = include_str!("../hostile.wgsl");
/// Has a type error on line 5 (`let x: f32 = 1u;`).
const BAD_WGSL: &str = include_str!("../bad.wgsl");
/// Valid WGSL whose workgroup (1024 x 1024) exceeds every GPU's limits.
const HUGE_WORKGROUP_WGSL: &str = include_str!("../huge_workgroup.wgsl");

/// Every mode, `ok` first (the default).
const MODES: &[&str] = &[
    "ok",
    "loop",
    "loop-create",
    "membomb",
    "panic",
    "bad-wgsl",
    "huge-texture",
    "huge-workgroup",
    "many-dispatches",
    "read-file",
    "read-env",
    "net",
    "clock-random",
];

struct Hostile;

struct HostileRenderer {
    copy: Shader,
    fill: Shader,
}

/// Spins forever; `black_box` keeps the loop from being optimised away.
fn spin() -> ! {
    let mut i = 0u64;
    loop {
        i = core::hint::black_box(i.wrapping_add(1));
    }
}

/// Allocates and touches 16 MiB chunks until an allocation fails.
fn membomb() -> String {
    const CHUNK: usize = 16 << 20;
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = Vec::new();
        if chunk.try_reserve_exact(CHUNK).is_err() || chunks.try_reserve(1).is_err() {
            break;
        }
        chunk.resize(CHUNK, 0xa5);
        chunks.push(core::hint::black_box(chunk));
    }
    let mib = core::hint::black_box(&chunks).len() * (CHUNK >> 20);
    format!("membomb: allocation failed after {mib} MiB")
}

fn read_file() -> String {
    match std::fs::read_to_string("/etc/passwd") {
        Ok(_) => "file-LEAKED".to_string(),
        Err(e) => format!("file-denied: {e}"),
    }
}

fn read_env() -> String {
    let names: Vec<String> = std::env::vars_os().map(|(k, _)| k.to_string_lossy().into_owned()).collect();
    if names.is_empty() { "env-denied".to_string() } else { format!("env-LEAKED: {}", names.join(",")) }
}

fn net() -> String {
    match std::net::TcpStream::connect("127.0.0.1:9") {
        Ok(_) => "net-LEAKED".to_string(),
        Err(e) => format!("net-denied: {e}"),
    }
}

/// A colour from the wall clock's seconds and a random u32 (std's hash-map
/// keys come from `wasi:random`), hashed together.
fn clock_random_colour() -> [f32; 3] {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let random = std::collections::hash_map::RandomState::new().hash_one(0u32) as u32;
    let h = hash_combine(secs as u32 ^ (secs >> 32) as u32, random);
    [(h & 0xff) as f32 / 255.0, ((h >> 8) & 0xff) as f32 / 255.0, ((h >> 16) & 0xff) as f32 / 255.0]
}

impl Guest for Hostile {
    type Renderer = HostileRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "hostile".into(),
            name: "Hostile test guest".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Misbehaves on purpose to test the host's sandbox.".into(),
            params: vec![choice_param(
                "mode",
                "Mode",
                "Which misbehaviour to perform (ok = copy the input).",
                MODES,
                "ok",
            )],
            history_frames: 0,
            tags: vec!["test".into()],
        }
    }

    fn create(_clip: ClipInfo, params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        if Params::new(&params).choice("mode", "ok") == "loop-create" {
            spin();
        }
        let copy = compile(WGSL, "copy")?;
        let fill = compile(WGSL, "fill")?;
        Ok(Renderer::new(HostileRenderer { copy, fill }))
    }
}

impl GuestRenderer for HostileRenderer {
    fn render(
        &self,
        _ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let copy = || dispatch(&self.copy, &[input], output, &[0.0]);
        match Params::new(&params).choice("mode", "ok") {
            "loop" => spin(),
            "membomb" => Err(membomb()),
            "panic" => panic!("hostile plugin panicked on purpose"),
            "bad-wgsl" => match compile(BAD_WGSL, "main") {
                Ok(_) => Err("bad-wgsl-ACCEPTED".to_string()),
                Err(e) => Err(e),
            },
            "huge-texture" => match create_texture(100_000, 100_000) {
                Ok(_) => Err("huge-texture-ALLOWED".to_string()),
                Err(e) => Err(e),
            },
            "huge-workgroup" => {
                let shader = compile(HUGE_WORKGROUP_WGSL, "main")?;
                dispatch(&shader, &[], output, &[0.0])?;
                Err("huge-workgroup-ALLOWED".to_string())
            }
            "many-dispatches" => {
                for _ in 0..10_000 {
                    copy()?;
                }
                Ok(())
            }
            "read-file" => Err(read_file()),
            "read-env" => Err(read_env()),
            "net" => Err(net()),
            "clock-random" => {
                let [r, g, b] = clock_random_colour();
                dispatch(&self.fill, &[], output, &[r, g, b])
            }
            _ => copy(),
        }
    }
}

pikafx_sdk::export_effect!(Hostile);
