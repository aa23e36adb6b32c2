//! `pikafx plugin build`: build a plugin project (as made by `pikafx plugin
//! new`) into one `.wasm` component with the right toolchain and flags.
//!
//! The language is detected from the project's files: `Cargo.toml` (Rust,
//! cargo for `wasm32-wasip2`), `app.py` (Python, componentize-py with
//! `--stub-wasi`), `package.json` + `app.js` (JavaScript, componentize-js
//! without `wasi:http`). Every tool is checked first; a missing one is an
//! error that says how to install it. The tools' own output goes to the
//! terminal.

use anyhow::{Context, bail};
use clap::Args;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The componentize-py version the templates are written and tested with.
const COMPONENTIZE_PY_VERSION: &str = "0.25.1";
/// The oldest Node.js that componentize-js 0.23 runs on.
const MIN_NODE_MAJOR: u32 = 20;
/// The Rust target of WebAssembly components.
const WASM_TARGET: &str = "wasm32-wasip2";

/// Arguments of `pikafx plugin build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The plugin project directory.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the component (default: `DIR/NAME.wasm`).
    #[arg(short, long, value_name = "OUT.wasm")]
    pub output: Option<PathBuf>,
}

/// The kind of project found in a directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Rust,
    Python,
    Js,
}

impl Lang {
    fn label(self) -> &'static str {
        match self {
            Lang::Rust => "Rust",
            Lang::Python => "Python",
            Lang::Js => "JavaScript",
        }
    }
}

/// Which language the project in `dir` is written in.
fn detect(dir: &Path) -> anyhow::Result<Lang> {
    if !dir.is_dir() {
        bail!("{} is not a directory (expected a plugin project made by `pikafx plugin new`)", dir.display());
    }
    if dir.join("Cargo.toml").is_file() {
        Ok(Lang::Rust)
    } else if dir.join("app.py").is_file() {
        Ok(Lang::Python)
    } else if dir.join("package.json").is_file() && dir.join("app.js").is_file() {
        Ok(Lang::Js)
    } else if dir.join("package.json").is_file() {
        bail!("{} has a package.json but no app.js: a JavaScript plugin's entry point must be app.js", dir.display())
    } else {
        bail!(
            "no plugin project in {}: expected Cargo.toml (Rust), app.py (Python) or package.json and app.js \
             (JavaScript); create one with `pikafx plugin new NAME --lang rust|python|js`",
            dir.display()
        )
    }
}

/// `cmd` as a shell-like line, for messages.
fn command_line(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| {
            let a = a.to_string_lossy();
            if a.contains(' ') { format!("'{a}'") } else { a.into_owned() }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs a tool with `--version`-like `args` and returns its stdout, or an
/// error carrying `install` when the tool is not on the PATH.
fn probe(tool: &str, args: &[&str], dir: &Path, install: &str) -> anyhow::Result<String> {
    match Command::new(tool).args(args).current_dir(dir).output() {
        Ok(out) if out.status.success() => Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned()),
        Ok(out) => bail!(
            "`{tool} {}` failed ({}): {}; {install}",
            args.join(" "),
            out.status,
            one_line(&String::from_utf8_lossy(&out.stderr))
        ),
        Err(e) if e.kind() == ErrorKind::NotFound => bail!("{tool} not found: {install}"),
        Err(e) => Err(e).with_context(|| format!("running {tool}")),
    }
}

/// `text`'s non-empty lines joined with ` | `, so an error stays on one line.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" | ")
}

/// Runs a build step with its output going to the terminal; a failure names
/// the tool and the project.
fn run_step(cmd: &mut Command, tool: &str, project: &Path, install: &str) -> anyhow::Result<()> {
    eprintln!("running: {}", command_line(cmd));
    let status = match cmd.status() {
        Ok(status) => status,
        Err(e) if e.kind() == ErrorKind::NotFound => bail!("{tool} not found: {install}"),
        Err(e) => return Err(e).with_context(|| format!("running {tool} for {}", project.display())),
    };
    if !status.success() {
        bail!("{tool} failed building the plugin project {} ({status}); its output is above", project.display());
    }
    Ok(())
}

/// The project's name from a `NAME = "value"` / `NAME = 'value'` line of a script.
fn script_constant(source: &str, name: &str) -> Option<String> {
    source.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("const ").unwrap_or(line.trim()).strip_prefix(name)?;
        let value = rest.trim_start().strip_prefix('=')?.trim().trim_end_matches(';');
        let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
        (!inner.is_empty() && !inner.contains(['/', '\\'])).then(|| inner.to_owned())
    })
}

/// The last component of `dir` (canonical), for a default output name.
fn dir_name(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "plugin".to_owned())
}

/// What `cargo metadata` says about the Rust project in `dir`.
struct CargoProject {
    /// Package name (the default output is `NAME.wasm`).
    package: String,
    /// File stem of the built library (`-` replaced by `_`).
    lib_stem: String,
    /// The target directory, honouring `CARGO_TARGET_DIR` and cargo config.
    target_dir: PathBuf,
}

fn cargo_project(dir: &Path) -> anyhow::Result<CargoProject> {
    let install = "install Rust with rustup (https://rustup.rs), then `rustup target add wasm32-wasip2`";
    let json = probe("cargo", &["metadata", "--no-deps", "--format-version", "1"], dir, install)
        .with_context(|| format!("reading the Rust project {}", dir.display()))?;
    let meta: serde_json::Value = serde_json::from_str(&json).context("parsing `cargo metadata` output")?;
    let manifest = dir.join("Cargo.toml");
    let packages = meta["packages"].as_array().map(Vec::as_slice).unwrap_or_default();
    let package = packages
        .iter()
        .find(|p| p["manifest_path"].as_str().is_some_and(|m| Path::new(m) == manifest))
        .or(packages.first())
        .with_context(|| format!("{} defines no package", manifest.display()))?;
    let name = package["name"].as_str().context("`cargo metadata` gave a package without a name")?;
    let targets = package["targets"].as_array().map(Vec::as_slice).unwrap_or_default();
    let lib = targets
        .iter()
        .find(|t| t["crate_types"].as_array().is_some_and(|k| k.iter().any(|k| k == "cdylib")))
        .with_context(|| {
            format!("{} has no cdylib target: a component needs `[lib] crate-type = [\"cdylib\"]`", manifest.display())
        })?;
    let lib_name = lib["name"].as_str().unwrap_or(name);
    let target_dir = meta["target_directory"].as_str().context("`cargo metadata` gave no target_directory")?;
    Ok(CargoProject {
        package: name.to_owned(),
        lib_stem: lib_name.replace('-', "_"),
        target_dir: PathBuf::from(target_dir),
    })
}

/// Builds a Rust project; returns the default output name.
fn build_rust(dir: &Path, output: Option<&Path>) -> anyhow::Result<PathBuf> {
    let install = "install Rust with rustup (https://rustup.rs), then `rustup target add wasm32-wasip2`";
    probe("cargo", &["--version"], dir, install)?;
    // The target's standard library must be installed (rustup puts it in the sysroot).
    let target_hint = format!("the Rust target {WASM_TARGET} is not installed: rustup target add {WASM_TARGET}");
    let libdir = probe("rustc", &["--print", "target-libdir", "--target", WASM_TARGET], dir, &target_hint)
        .map_err(|e| anyhow::anyhow!("{target_hint} ({e:#})"))?;
    if !Path::new(&libdir).is_dir() {
        bail!("{target_hint}");
    }
    let project = cargo_project(dir)?;
    let out = output.map(Path::to_owned).unwrap_or_else(|| dir.join(format!("{}.wasm", project.package)));
    run_step(
        Command::new("cargo").args(["build", "--target", WASM_TARGET, "--release"]).current_dir(dir),
        "cargo build",
        dir,
        install,
    )?;
    let built = project.target_dir.join(WASM_TARGET).join("release").join(format!("{}.wasm", project.lib_stem));
    if !built.is_file() {
        bail!("cargo build succeeded but {} is missing", built.display());
    }
    prepare_output(&out)?;
    std::fs::copy(&built, &out).with_context(|| format!("copying {} to {}", built.display(), out.display()))?;
    Ok(out)
}

/// Builds a Python project with componentize-py.
fn build_python(dir: &Path, output: Option<&Path>) -> anyhow::Result<PathBuf> {
    let install = format!("pip install componentize-py=={COMPONENTIZE_PY_VERSION}");
    let version = probe("componentize-py", &["--version"], dir, &install)?;
    if !version.ends_with(COMPONENTIZE_PY_VERSION) {
        eprintln!(
            "warning: {version} found; the template is tested with componentize-py {COMPONENTIZE_PY_VERSION} ({install})"
        );
    }
    require_wit(dir)?;
    let name = std::fs::read_to_string(dir.join("app.py"))
        .ok()
        .and_then(|s| script_constant(&s, "EFFECT_ID"))
        .unwrap_or_else(|| dir_name(dir));
    let out = output.map(Path::to_owned).unwrap_or_else(|| dir.join(format!("{name}.wasm")));
    prepare_output(&out)?;
    let mut cmd = Command::new("componentize-py");
    cmd.args(["-d", "wit", "-w", "plugin", "componentize", "--stub-wasi", "app", "-o"]).arg(&out).current_dir(dir);
    run_step(&mut cmd, "componentize-py", dir, &install)?;
    Ok(out)
}

/// Builds a JavaScript project with componentize-js (installing it first
/// when `node_modules` is missing).
fn build_js(dir: &Path, output: Option<&Path>) -> anyhow::Result<PathBuf> {
    let install = format!(
        "install Node.js >= {MIN_NODE_MAJOR} with npm (https://nodejs.org), then run `npm install` in {}",
        dir.display()
    );
    let version = probe("node", &["--version"], dir, &install)?;
    let major = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse::<u32>().ok());
    match major {
        Some(m) if m >= MIN_NODE_MAJOR => {}
        _ => bail!("node {version} found; componentize-js needs Node.js >= {MIN_NODE_MAJOR}: {install}"),
    }
    probe("npm", &["--version"], dir, &install)?;
    require_wit(dir)?;
    if !dir.join("node_modules").join("@bytecodealliance").join("componentize-js").is_dir() {
        run_step(
            Command::new("npm").args(["install", "--no-audit", "--no-fund"]).current_dir(dir),
            "npm install",
            dir,
            &install,
        )?;
    }
    let name = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v["name"].as_str().map(str::to_owned))
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\', '@']))
        .unwrap_or_else(|| dir_name(dir));
    let out = output.map(Path::to_owned).unwrap_or_else(|| dir.join(format!("{name}.wasm")));
    prepare_output(&out)?;
    let mut cmd = Command::new("npx");
    cmd.args(["componentize-js", "app.js", "-w", "wit", "-n", "plugin", "-d", "http", "fetch-event", "-o"])
        .arg(&out)
        .current_dir(dir);
    run_step(&mut cmd, "componentize-js", dir, &install)?;
    Ok(out)
}

/// The vendored contract must be there (`wit/`).
fn require_wit(dir: &Path) -> anyhow::Result<()> {
    if !dir.join("wit").is_dir() {
        bail!("{} has no wit/ folder: copy the pika:fx contract (pika-fx.wit) into it", dir.display());
    }
    Ok(())
}

/// Creates the output's folder and removes a stale output.
fn prepare_output(out: &Path) -> anyhow::Result<()> {
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    if out.exists() {
        std::fs::remove_file(out).with_context(|| format!("removing the old {}", out.display()))?;
    }
    Ok(())
}

/// `1234567` -> `1.2 MiB`.
fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// Runs `pikafx plugin build`.
pub fn run(args: BuildArgs) -> anyhow::Result<()> {
    let lang = detect(&args.dir)?;
    let dir = args.dir.canonicalize().with_context(|| format!("resolving {}", args.dir.display()))?;
    let output = match &args.output {
        Some(o) => Some(std::path::absolute(o).with_context(|| format!("resolving {}", o.display()))?),
        None => None,
    };
    eprintln!("building the {} plugin project {}", lang.label(), dir.display());
    let out = match lang {
        Lang::Rust => build_rust(&dir, output.as_deref()),
        Lang::Python => build_python(&dir, output.as_deref()),
        Lang::Js => build_js(&dir, output.as_deref()),
    }?;
    if !out.is_file() {
        bail!("the {} build of {} finished but wrote no {}", lang.label(), dir.display(), out.display());
    }
    let size = std::fs::metadata(&out).with_context(|| format!("reading {}", out.display()))?.len();
    println!("built {} ({})", out.display(), human_size(size));
    println!("next: pikafx plugin check {}", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_script_constants() {
        assert_eq!(script_constant("EFFECT_ID = \"warm-tint\"\n", "EFFECT_ID").as_deref(), Some("warm-tint"));
        assert_eq!(script_constant("const EFFECT_ID = 'x-y';", "EFFECT_ID").as_deref(), Some("x-y"));
        assert_eq!(script_constant("EFFECT_ID = compute()", "EFFECT_ID"), None);
        assert_eq!(script_constant("EFFECT_ID = \"../evil\"", "EFFECT_ID"), None);
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(2048), "2.0 KiB");
        assert_eq!(human_size(3 << 20), "3.0 MiB");
    }
}
