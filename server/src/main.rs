//! Guise: reads its configuration, opens (and if need be initializes) the database, then serves the
//! Console, My Account and the sign-in endpoints.

use engine::bootstrap::{BootstrapConfig, BootstrapOutcome};
use engine::{Clock, Engine, SystemClock};
use server::{cli, config, logging, mail, router, state};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

fn main() -> ExitCode {
    let format = match logging::LogFormat::parse(std::env::var("GUISE_LOG_FORMAT").ok().as_deref())
    {
        Ok(format) => format,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| logging::DEFAULT_FILTER.into());
    if tracing::subscriber::set_global_default(logging::subscriber(
        format,
        &filter,
        std::io::stdout,
    ))
    .is_err()
    {
        eprintln!("a log subscriber was already set");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(run());
    // Whatever is still running (a request past its grace, a background task) does not keep the
    // process alive.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let leptos_options = app::assets::with_built_names(
        leptos::config::get_configuration(None)
            .map_err(|e| format!("leptos configuration: {e}"))?
            .leptos_options,
    );
    let config = config::Config::from_env(&leptos_options.site_addr.to_string())?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = cli::parse(&args)?;

    let engine = Engine::open(&config.database_url, config.engine_settings())
        .await
        .map_err(|e| format!("opening the database: {e}"))?;
    let outcome = engine
        .bootstrap(
            BootstrapConfig {
                admin_username: config.admin_username.clone(),
                admin_password: config.admin_password.clone(),
            },
            clock.now(),
        )
        .await
        .map_err(|e| format!("first-start set-up: {e}"))?;
    if let BootstrapOutcome::Created {
        admin_username,
        generated_password,
    } = outcome
    {
        match generated_password {
            Some(p) => tracing::warn!(
                "created administrator '{admin_username}' with generated password: {} (shown once; change it in My Account)",
                p.expose()
            ),
            None => tracing::info!("created administrator '{admin_username}'"),
        }
    }

    if !matches!(command, cli::Command::Serve) {
        return cli::run(&engine, command, clock.now()).await;
    }
    // Load (on first start, create) the signing key before the first request needs it.
    engine
        .keys(clock.now())
        .await
        .map_err(|e| format!("loading the signing keys: {e}"))?;
    spawn_purge(engine.clone(), clock.clone());
    if let Some(log) = config.audit_log.clone() {
        server::audit_file::spawn_projection(engine.clone(), log);
    }
    let delivery = start_mail_delivery(&config, &engine, &clock)?;
    let state = state::AppState::new(engine, clock, leptos_options.clone(), &config);
    if let server::metrics_endpoint::MetricsAccess::Listener(addr) = config.metrics {
        server::metrics_endpoint::spawn_listener(addr, state.clone()).await?;
    }
    let draining = state.draining.clone();
    let app = router::build(state);

    let listener = tokio::net::TcpListener::bind(leptos_options.site_addr)
        .await
        .map_err(|e| format!("binding {}: {e}", leptos_options.site_addr))?;
    tracing::info!(
        "Guise listening on {} (public URL {})",
        leptos_options.site_addr,
        config.public_url
    );
    let stopping = async move {
        shutdown_signal().await;
        // Not ready, still serving: the balancer takes this node out before it stops listening.
        draining.store(true, std::sync::atomic::Ordering::Relaxed);
        tracing::info!("draining for {:?}", server::health::DRAIN);
        tokio::time::sleep(server::health::DRAIN).await;
    };
    server::serve::serve(listener, app, stopping, server::serve::SHUTDOWN_GRACE)
        .await
        .map_err(|e| format!("server: {e}"))?;
    if let Some(worker) = delivery {
        if !worker.finish(server::serve::SHUTDOWN_GRACE).await {
            tracing::warn!("the email being delivered did not finish in time; another node sends it once its claim runs out");
        }
    }
    tracing::info!("Guise stopped");
    Ok(())
}

/// Expired sessions and tokens are dead already (every check looks at expiry); this only reclaims
/// space.
fn spawn_purge(engine: Engine, clock: Arc<dyn Clock>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(e) = engine.purge_expired_sessions(clock.now()).await {
                tracing::warn!("purging expired sessions: {e}");
            }
            if let Err(e) = engine.purge_expired_tokens(clock.now()).await {
                tracing::warn!("purging expired tokens: {e}");
            }
        }
    });
}

/// Delivers the outbox over SMTP when `GUISE_SMTP_URL` is set; otherwise messages wait in the
/// outbox, where the Console shows them.
fn start_mail_delivery(
    config: &config::Config,
    engine: &Engine,
    clock: &Arc<dyn Clock>,
) -> Result<Option<mail::DeliveryWorker>, String> {
    let Some(url) = &config.smtp_url else {
        tracing::info!(
            "GUISE_SMTP_URL is not set: emails stay in the outbox (Console > Email Outbox)"
        );
        return Ok(None);
    };
    mail::check_sender(&config.smtp_from)?;
    let smtp = mail::Smtp::from_url(url.expose())?;
    let worker = mail::spawn_delivery(
        engine.clone(),
        smtp,
        config.smtp_from.clone(),
        clock.clone(),
    );
    tracing::info!("delivering email over SMTP from {}", config.smtp_from);
    Ok(Some(worker))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!(
        "stopping: requests in flight get {:?}",
        server::serve::SHUTDOWN_GRACE
    );
}
