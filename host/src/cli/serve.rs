//! `pikafx serve` and `pikafx keys`.

use super::setup::CommonArgs;
use crate::plugin::LiveCatalog;
use crate::serve::credits::{self, PLANS};
use crate::serve::keys::{self, Scope};
use crate::serve::retention::RetentionPolicy;
use crate::serve::{ServeConfig, auth::Transport, open_store};
use clap::{Args, Subcommand};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

/// Where the server keeps its database and clips.
#[derive(Debug, Args)]
pub struct DataDir {
    /// Data directory (database, clips).
    #[arg(long, env = "PIKAFX_DATA_DIR", default_value = "pikafx-data", value_name = "DIR")]
    pub data_dir: PathBuf,
}

/// `pikafx serve` options.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    data: DataDir,
    /// Address to listen on. Plain HTTP only binds to loopback unless
    /// --behind-tls-proxy is given.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// TLS certificate chain (PEM); with --tls-key the server speaks HTTPS.
    #[arg(long, requires = "tls_key", value_name = "PEM")]
    tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, requires = "tls_cert", value_name = "PEM")]
    tls_key: Option<PathBuf>,
    /// Plain HTTP on a non-loopback address because a TLS proxy fronts the
    /// server; requests from other hosts must carry `X-Forwarded-Proto: https`.
    #[arg(long)]
    behind_tls_proxy: bool,
    /// The URL clients use to reach the server (for output URLs).
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Render worker threads.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Jobs one API key may have processing at once (more stay queued).
    #[arg(long, default_value_t = 10)]
    max_concurrent_per_key: usize,
    /// Requests per minute per API key.
    #[arg(long, default_value_t = NonZeroU32::new(300).unwrap_or(NonZeroU32::MIN))]
    rate_per_minute: NonZeroU32,
    /// Request burst per API key.
    #[arg(long, default_value_t = NonZeroU32::new(600).unwrap_or(NonZeroU32::MIN))]
    rate_burst: NonZeroU32,
    /// Seconds a job may render before it is stopped, failed and refunded.
    #[arg(long, default_value_t = 900.0)]
    job_timeout_sec: f64,
    /// Largest accepted upload, in MiB.
    #[arg(long, default_value_t = 512)]
    max_upload_mb: u64,
    /// Days a clip stays downloadable.
    #[arg(long, default_value_t = 30)]
    retention_active_days: u32,
    /// Days an archived clip is kept before deletion.
    #[arg(long, default_value_t = 60)]
    retention_archived_days: u32,
    /// Seconds between retention sweeps.
    #[arg(long, default_value_t = 3600.0)]
    sweep_interval_sec: f64,
    /// Allow webhook URLs that resolve to private or loopback addresses.
    #[arg(long)]
    webhooks_allow_private: bool,
    /// Milliseconds before the first webhook retry (doubles each retry).
    #[arg(long, default_value_t = 2000)]
    webhook_retry_base_ms: u64,
}

/// Runs the server.
pub fn run(common: &CommonArgs, args: ServeArgs) -> anyhow::Result<()> {
    let seconds = |value: f64, name: &str| {
        Duration::try_from_secs_f64(value).map_err(|_| anyhow::anyhow!("--{name} must be a positive number of seconds"))
    };
    let config = ServeConfig {
        listen: args.listen,
        tls: args.tls_cert.zip(args.tls_key),
        behind_tls_proxy: args.behind_tls_proxy,
        public_url: args.public_url,
        base_url: String::new(),
        transport: Transport::Loopback,
        data_dir: args.data.data_dir,
        workers: args.workers.max(1),
        max_concurrent_per_key: args.max_concurrent_per_key.max(1),
        rate_per_minute: args.rate_per_minute,
        rate_burst: args.rate_burst,
        job_timeout: seconds(args.job_timeout_sec, "job-timeout-sec")?,
        max_upload_bytes: args.max_upload_mb << 20,
        limits: common.media_limits(),
        retention: RetentionPolicy {
            active_days: args.retention_active_days,
            archived_days: args.retention_archived_days,
        },
        sweep_interval: seconds(args.sweep_interval_sec, "sweep-interval-sec")?,
        webhooks_allow_private: args.webhooks_allow_private,
        webhook_retry_base: Duration::from_millis(args.webhook_retry_base_ms),
        quiet: common.quiet,
    };
    let runtime = common.runtime()?;
    let catalog = common.catalog(&runtime)?;
    let live = LiveCatalog::new(runtime.clone(), common.plugin_dirs()?, catalog);
    // The GPU device is created on a low-priority thread so that the
    // software rasterizer's threads (created with it) inherit the priority.
    let renderer = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                crate::serve::priority::lower_current_thread();
                common.renderer(runtime)
            })
            .join()
            .map_err(|_| anyhow::anyhow!("the GPU setup thread panicked"))?
    })?;
    crate::serve::serve(renderer, live, config)
}

/// `pikafx keys ...`: manage API keys in the server's database.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create a key (and its account, if new). Prints the key once.
    Create {
        #[command(flatten)]
        data: DataDir,
        /// Account the key belongs to (created on first use).
        #[arg(long)]
        account: String,
        /// Plan of a new account: free, standard, pro, fancy.
        #[arg(long, default_value = "standard")]
        plan: String,
        /// A label for the key.
        #[arg(long, default_value = "default")]
        name: String,
        /// Scopes (repeatable or comma-separated); default: all.
        #[arg(long = "scope", value_delimiter = ',')]
        scopes: Vec<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List keys (never their secrets).
    List {
        #[command(flatten)]
        data: DataDir,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Replace a key by a new one with the same scopes; the old one stops working.
    Rotate {
        #[command(flatten)]
        data: DataDir,
        /// The key's id (`key_...`).
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key at once.
    Revoke {
        #[command(flatten)]
        data: DataDir,
        /// The key's id (`key_...`).
        id: String,
    },
}

/// `pikafx credits ...`: operator credit top-ups.
#[derive(Debug, Subcommand)]
pub enum CreditsCommand {
    /// Add credits to an account until its next monthly reset.
    Grant {
        #[command(flatten)]
        data: DataDir,
        /// The account's name.
        #[arg(long)]
        account: String,
        /// Credits to add.
        #[arg(long)]
        amount: u32,
        /// Why (recorded in the ledger).
        #[arg(long, default_value = "operator grant")]
        reason: String,
    },
}

/// Runs a `credits` subcommand.
pub fn credits(command: CreditsCommand) -> anyhow::Result<()> {
    match command {
        CreditsCommand::Grant { data, account, amount, reason } => {
            let (_, db) = open_store(data.data_dir)?;
            let now = db.now();
            let balance =
                db.write(|tx| credits::grant(tx, &account, i64::from(amount), &reason, now))?.ok_or_else(|| {
                    anyhow::anyhow!("no account named `{account}` (create one with `pikafx keys create`)")
                })?;
            println!("{account}: {balance} credits");
            Ok(())
        }
    }
}

/// Runs a `keys` subcommand.
pub fn keys(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create { data, account, plan, name, scopes, json } => {
            let plan = credits::plan(&plan).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown plan `{plan}`; valid: {}",
                    PLANS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
                )
            })?;
            let scopes: Vec<Scope> = if scopes.is_empty() {
                Scope::ALL.to_vec()
            } else {
                scopes.iter().map(|s| s.parse::<Scope>().map_err(anyhow::Error::msg)).collect::<Result<_, _>>()?
            };
            let (_, db) = open_store(data.data_dir)?;
            print_new(&keys::create(&db, &account, plan, &name, &scopes)?, json)
        }
        KeysCommand::List { data, json } => {
            let (_, db) = open_store(data.data_dir)?;
            let list = keys::list(&db)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for key in list {
                    let state = key.revoked_at.map_or("active".to_owned(), |at| format!("revoked {at}"));
                    println!(
                        "{}  {}…  account={}  name={}  scopes={}  created={}  {state}",
                        key.id,
                        key.prefix,
                        key.account,
                        key.name,
                        key.scopes.join(","),
                        key.created_at
                    );
                }
            }
            Ok(())
        }
        KeysCommand::Rotate { data, id, json } => {
            let (_, db) = open_store(data.data_dir)?;
            print_new(&keys::rotate(&db, &id)?, json)
        }
        KeysCommand::Revoke { data, id } => {
            let (_, db) = open_store(data.data_dir)?;
            keys::revoke(&db, &id)?;
            println!("revoked {id}");
            Ok(())
        }
    }
}

fn print_new(key: &keys::NewKey, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(key)?);
    } else {
        println!("{}", key.key);
        eprintln!(
            "key id {} for account {} (scopes: {}); store the key now, it is not shown again",
            key.record.id,
            key.record.account,
            key.record.scopes.join(", ")
        );
    }
    Ok(())
}

/// `pikafx mcp` options.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// The pikafx API to call.
    #[arg(long, env = "PIKAFX_URL", default_value = "http://127.0.0.1:8080")]
    api_url: String,
    /// API key for stdio mode (over HTTP each request brings its own).
    #[arg(long, env = "PIKAFX_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Serve MCP over streamable HTTP at this loopback address (path /mcp)
    /// instead of stdio.
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    /// Over HTTP, let the file tools use this directory (default: no files).
    #[arg(long, value_name = "DIR")]
    files_dir: Option<PathBuf>,
}

/// Runs the MCP server.
pub fn mcp(args: McpArgs) -> anyhow::Result<()> {
    use crate::mcp::{FileAccess, PikaMcp};
    match args.http {
        Some(listen) => {
            let files = args.files_dir.map_or(FileAccess::Denied, FileAccess::Under);
            Ok(crate::mcp::serve_http(PikaMcp::new(&args.api_url, None, files), listen)?)
        }
        None => {
            let key = args.api_key.ok_or_else(|| {
                anyhow::anyhow!("stdio mode needs an API key: --api-key or PIKAFX_API_KEY (see `pikafx keys create`)")
            })?;
            Ok(crate::mcp::serve_stdio(PikaMcp::new(&args.api_url, Some(key), FileAccess::Any))?)
        }
    }
}
