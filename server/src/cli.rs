//! The command line: reads the arguments of `relais serve | migrate | demo |
//! user add | apikey | import | generate | doctrine | territories | audit |
//! purge | figures | backup`,
//! runs the command and maps its failure to an exit code.

use crate::config::Config;
use crate::input::InputError;
use clap::{Parser, Subcommand};
use relais::roles::StaffRole;
use std::io::{IsTerminal, Read};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "relais",
    version,
    about = "Relais — contact declaration for contact tracing"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the web application.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load demonstration data (into an empty database) and print working
    /// demo links and staff credentials. Run again for fresh links.
    Demo,
    /// Insert synthetic cases (invented people) for benchmarks and load tests.
    Generate {
        /// How many cases to add.
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// Also queue each generated case's invitation SMS (to measure the
        /// sender).
        #[arg(long)]
        invitations: bool,
        /// Also give each new case a link and write `LINK<TAB>BIRTH DATE`
        /// lines to this file, for a load test's case journeys.
        #[arg(long, value_name = "FILE")]
        links: Option<std::path::PathBuf>,
    },
    /// The access review: who viewed or changed which case (newest first,
    /// tab-separated, times in UTC).
    Audit {
        /// Only this staff member (username).
        #[arg(long)]
        staff: Option<String>,
        /// Only this case (reference).
        #[arg(long)]
        case: Option<String>,
        /// From this day (YYYY-MM-DD, Europe/Paris), included.
        #[arg(long)]
        from: Option<String>,
        /// To this day, included.
        #[arg(long)]
        to: Option<String>,
        /// At most this many lines.
        #[arg(long, default_value_t = 1000)]
        limit: i64,
    },
    /// Delete the personal data collected more than RELAIS_RETENTION_DAYS
    /// days ago (cases, contacts, places, messages, replies); the daily
    /// figures stay. The server does it every day; this runs it now.
    Purge,
    /// Bring the dashboard's figures up to date: the cases changed since
    /// the last refresh are recomputed. The server does it every few
    /// minutes.
    Figures {
        /// Recount every case of the last DAYS days instead, changed or not.
        #[arg(long, value_name = "DAYS")]
        recount: Option<u32>,
    },
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The rule sets ("doctrine"): list, check a file, evaluate a scenario.
    #[command(subcommand)]
    Doctrine(DoctrineCommand),
    /// The languages of the citizens' pages and texts: each catalogue
    /// against French, its rule-set texts, its SMS cost, who reviewed it.
    #[command(subcommand)]
    Lang(LangCommand),
    /// Manage the keys of the integration API (/api/v1/).
    #[command(subcommand)]
    Apikey(ApiKeyCommand),
    /// The départements and regions cases are filed under: list them, or
    /// load new lists (the shipped ones are in territories/).
    #[command(subcommand)]
    Territories(TerritoriesCommand),
    /// The organisations staff belong to (funds, agencies, support cells,
    /// the national one) and the territories they cover.
    #[command(subcommand)]
    Org(crate::organisations::OrgCommand),
    /// Create cases from a CSV file (header row with the API's field names),
    /// with their invitation SMS. Rows already imported are skipped (the lab
    /// reference is the key). Exit code 0 when the file was read, even with
    /// rejected rows; 2 for an unreadable file or missing columns.
    Import {
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Write a consistent copy of the SQLite database to FILE, server
    /// running.
    ///
    /// SQLite's VACUUM INTO: every write committed before the copy starts is
    /// in it. Prints where, its size, the time taken and its schema version.
    /// FILE must not exist (exit code 2). On PostgreSQL, refused (exit code
    /// 2): use pg_dump (see "Backups" in the README).
    Backup {
        /// The new file to write (its folder must exist).
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create a key and print it (once: only its hash is kept).
    Add {
        /// A name for the key: the system that uses it (letters, digits, . _ -).
        name: String,
        /// What the key may do: intake, export, support (the nurse-visit
        /// requests), or several (intake,export).
        #[arg(long)]
        rights: String,
        /// The organisation whose cases the key exports (name or id; the
        /// national organisation, every case, when left out).
        #[arg(long)]
        org: Option<String>,
    },
    /// List the keys (never the keys themselves).
    List,
    /// Revoke a key: it is refused from now on.
    Revoke {
        /// The key's name.
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TerritoriesCommand {
    /// Print how many regions and départements the database holds, then
    /// each of them.
    List,
    /// Replace the lists with two CSV files (header rows `code,name,region`
    /// and `code,name`). Both are checked first: any problem is printed with
    /// its file and line and nothing changes (exit code 2). A département
    /// that cases use must stay in the file.
    Load {
        /// The départements file: code,name,region.
        #[arg(long)]
        departements: std::path::PathBuf,
        /// The regions file: code,name.
        #[arg(long)]
        regions: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum LangCommand {
    /// List the languages, their completeness and their review.
    List,
}

#[derive(Debug, Subcommand)]
pub enum DoctrineCommand {
    /// List the rule sets in force (embedded and RELAIS_DOCTRINE_DIR).
    List,
    /// Check a rule-set file; exit code 2 with the file, field and problem.
    Check {
        /// The TOML file to check.
        file: std::path::PathBuf,
    },
    /// Read one JSON scenario on standard input and print the result (see README).
    Evaluate,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account. The password is asked without echo, or read
    /// from standard input with --password-stdin.
    Add {
        /// Sign-in name (letters, digits, . _ -).
        #[arg(long)]
        username: String,
        /// Name shown to colleagues.
        #[arg(long)]
        name: String,
        /// tracer, supervisor, admin or support (a support cell's member).
        #[arg(long)]
        role: StaffRole,
        /// The organisation the account belongs to (name or id; the
        /// national organisation when left out).
        #[arg(long)]
        org: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lift the lock of an account (after ten wrong passwords) and clear
    /// its failures, as an admin does on the accounts page.
    Unlock {
        /// The account's sign-in name.
        username: String,
    },
}

/// Parses the arguments, runs the command, and maps failure to exit codes:
/// 1 for a runtime failure, 2 for bad input (configuration, arguments).
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(dispatch(cli.command, config));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            match e.downcast_ref::<InputError>() {
                Some(_) => ExitCode::from(2),
                None => ExitCode::FAILURE,
            }
        }
    }
}

async fn dispatch(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => crate::serve::serve(config).await,
        Command::Migrate => {
            crate::database::open_database(&config).await?;
            println!("database migrated");
            Ok(())
        }
        Command::Demo => {
            let db = crate::database::open_database(&config).await?;
            let report = crate::demo::load(&db, &config.public_url).await?;
            print!("{report}");
            Ok(())
        }
        Command::Lang(LangCommand::List) => {
            let rule_sets = crate::doctrine::load_rule_sets(config.doctrine_dir.as_deref())?;
            print!("{}", crate::languages::list(&rule_sets));
            Ok(())
        }
        Command::Doctrine(command) => {
            let rule_sets = crate::doctrine::load_rule_sets(config.doctrine_dir.as_deref())?;
            let out = match command {
                DoctrineCommand::List => crate::doctrine::list(&rule_sets),
                DoctrineCommand::Check { file } => crate::doctrine::check(&file)?,
                DoctrineCommand::Evaluate => crate::doctrine::evaluate(
                    &rule_sets,
                    relais_store::Clock::system().today_paris(),
                )?,
            };
            print!("{out}");
            Ok(())
        }
        Command::Apikey(command) => {
            let db = crate::database::open_database(&config).await?;
            print!("{}", api_key_command(&db, command).await?);
            Ok(())
        }
        Command::Org(command) => {
            let db = crate::database::open_database(&config).await?;
            print!("{}", crate::organisations::org_command(&db, command).await?);
            Ok(())
        }
        Command::Territories(command) => {
            let db = crate::database::open_database(&config).await?;
            let out = match command {
                TerritoriesCommand::List => crate::territories::list(&db).await?,
                TerritoriesCommand::Load {
                    departements,
                    regions,
                } => crate::territories::load(&db, &departements, &regions).await?,
            };
            print!("{out}");
            Ok(())
        }
        Command::Import { file } => {
            // Read before the database is opened or migrated: a wrong path
            // changes nothing.
            std::fs::metadata(&file)
                .map_err(|e| InputError(format!("cannot read {}: {e}", file.display())))?;
            let db = crate::database::open_database(&config).await?;
            let report = crate::import::import(&db, &file).await?;
            print!("{report}");
            Ok(())
        }
        Command::Backup { file } => backup(&config, &file).await,
        Command::Purge => {
            let db = crate::database::open_database(&config).await?;
            print!("{}", crate::purge::purge(&db, config.retention_days).await?);
            Ok(())
        }
        Command::Figures { recount } => {
            let db = crate::database::open_database(&config).await?;
            match recount {
                Some(days) => print!("{}", crate::purge::recount_figures(&db, days).await?),
                None => print!("{}", crate::purge::refresh_figures(&db).await?),
            }
            Ok(())
        }
        Command::Generate {
            cases,
            invitations,
            links,
        } => {
            let db = crate::database::open_database(&config).await?;
            let total = crate::generate::generate(&db, cases, invitations).await?;
            if let Some(file) = links {
                let written =
                    crate::generate::write_links(&db, &config.public_url, total - cases, &file)
                        .await?;
                eprintln!("{written} case links written to {}", file.display());
            }
            println!("{total} generated cases in the database");
            Ok(())
        }
        Command::Audit {
            staff,
            case,
            from,
            to,
            limit,
        } => {
            let db = crate::database::open_database(&config).await?;
            let filters = crate::review::Filters {
                staff,
                case,
                from,
                to,
                limit,
            };
            let shown = crate::review::audit(&db, &filters, &mut std::io::stdout().lock()).await?;
            eprintln!("{shown} lines");
            Ok(())
        }
        Command::User(UserCommand::Unlock { username }) => {
            let db = crate::database::open_database(&config).await?;
            if !relais_store::staff::unlock_by_username(&db, username.trim()).await? {
                return Err(InputError(format!("no staff account named {username:?}")).into());
            }
            println!("staff account {username:?} unlocked");
            Ok(())
        }
        Command::User(UserCommand::Add {
            username,
            name,
            role,
            org,
            password_stdin,
        }) => {
            let password = read_password(password_stdin)?;
            let db = crate::database::open_database(&config).await?;
            let org = crate::organisations::resolve(&db, org.as_deref()).await?;
            add_user(&db, &username, &name, role, org.id, &password).await?;
            println!(
                "staff account {username:?} created with role {} in {:?}",
                role.as_str(),
                org.name
            );
            Ok(())
        }
    }
}

/// `relais backup FILE`: refuses PostgreSQL before connecting (its answer
/// does not depend on the server being up), and does not migrate: a backup
/// copies the database as the running server uses it.
async fn backup(config: &Config, file: &std::path::Path) -> anyhow::Result<()> {
    use relais_store::backup::{backup_into, Refusal};
    use relais_store::Backend;
    if Backend::from_url(&config.database_url) == Some(Backend::Postgres) {
        return Err(InputError(Refusal::Postgres.to_string()).into());
    }
    let db = relais_store::Db::connect(&config.database_url)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot open the database {} (RELAIS_DATABASE_URL): {e}",
                crate::config::redact_url(&config.database_url)
            )
        })?;
    let written = backup_into(&db, file).await;
    db.close().await;
    let backup = written?.map_err(|refusal| InputError(refusal.to_string()))?;
    println!(
        "backup written to {}: {} in {:.2} s (schema version {})",
        backup.path.display(),
        human_size(backup.bytes),
        backup.elapsed.as_secs_f64(),
        backup.schema_version
    );
    Ok(())
}

/// A size for a person: bytes, KB or MB (powers of 1000), bytes in full
/// beside the rounded ones.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} KB ({bytes} bytes)", bytes as f64 / 1e3),
        _ => format!("{:.1} MB ({bytes} bytes)", bytes as f64 / 1e6),
    }
}

/// Runs an `apikey` command and returns what to print.
pub async fn api_key_command(
    db: &relais_store::Db,
    command: ApiKeyCommand,
) -> anyhow::Result<String> {
    use relais_store::api_keys::{create_key, list_keys, revoke_key, ApiRight};
    match command {
        ApiKeyCommand::Add { name, rights, org } => {
            let name = name.trim();
            if !is_account_name(name) {
                return Err(InputError(
                    "the key name must have 3 to 64 characters among letters, digits, '.', '_' \
                     and '-'"
                        .into(),
                )
                .into());
            }
            let rights = ApiRight::parse_list(&rights).map_err(InputError)?;
            let org = crate::organisations::resolve(db, org.as_deref()).await?;
            let key = match create_key(db, name, &rights, org.id).await {
                Ok(key) => key,
                Err(relais_store::StoreError::AlreadyExists(_)) => {
                    return Err(
                        InputError(format!("an API key named {name:?} already exists")).into(),
                    )
                }
                Err(e) => return Err(e.into()),
            };
            let rights: Vec<&str> = rights.iter().map(|r| r.as_str()).collect();
            Ok(format!(
                "API key {name:?} created with rights {} for {:?}. It is shown only now: keep \
                 it in the calling system's secrets.\n{key}\n",
                rights.join(","),
                org.name
            ))
        }
        ApiKeyCommand::List => {
            let when = |t: Option<i64>| {
                t.and_then(relais::dates::utc_text)
                    .map(|t| t[..16].replace('T', " "))
                    .unwrap_or_else(|| "-".into())
            };
            let mut out = format!(
                "{:<24} {:<14} {:<16} {:<16} {:<16} {}\n",
                "name", "rights", "created", "last used", "revoked", "organisation"
            );
            for key in list_keys(db).await? {
                let rights: Vec<&str> = key.rights.iter().map(|r| r.as_str()).collect();
                out.push_str(&format!(
                    "{:<24} {:<14} {:<16} {:<16} {:<16} {}\n",
                    key.name,
                    rights.join(","),
                    when(Some(key.created_at)),
                    when(key.last_used_at),
                    when(key.revoked_at),
                    key.organisation_name
                ));
            }
            Ok(out)
        }
        ApiKeyCommand::Revoke { name } => {
            if revoke_key(db, name.trim()).await? {
                Ok(format!("API key {name:?} revoked\n"))
            } else {
                Err(InputError(format!("no API key named {name:?} in force")).into())
            }
        }
    }
}

/// Creates a staff account after checking the name and password rules.
pub async fn add_user(
    db: &relais_store::Db,
    username: &str,
    name: &str,
    role: StaffRole,
    organisation: relais::ids::OrganisationId,
    password: &str,
) -> anyhow::Result<relais::ids::StaffId> {
    let username = username.trim();
    if !is_account_name(username) {
        return Err(InputError(
            "the username must have 3 to 64 characters among letters, digits, '.', '_' and '-'"
                .into(),
        )
        .into());
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(InputError("the name must have 1 to 200 characters".into()).into());
    }
    let hash = relais_store::security::password::hash_password(password)
        .map_err(|e| InputError(e.to_string()))?;
    match relais_store::staff::create_staff_user(db, username, name, role, organisation, &hash)
        .await
    {
        Ok(id) => Ok(id),
        Err(relais_store::StoreError::AlreadyExists(_)) => {
            Err(InputError(format!("a staff account named {username:?} already exists")).into())
        }
        Err(relais_store::StoreError::NotAllowed(why)) => Err(InputError(why.into()).into()),
        Err(e) => Err(e.into()),
    }
}

/// The one rule of account names, staff usernames and API key names alike:
/// 3 to 64 characters among ASCII letters, digits, '.', '_' and '-' (the
/// name already trimmed).
fn is_account_name(name: &str) -> bool {
    (3..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text.lines().next().unwrap_or_default().to_owned()
    } else {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            return Err(InputError("the two passwords differ".into()).into());
        }
        first
    };
    Ok(password)
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .try_init();
}
