//! One budget of API calls in flight for the whole run.
//!
//! Every client of a live read (IAM in each account, STS for the roles,
//! Organizations) is built from one configuration whose HTTP client is the
//! SDK's own default client wrapped here: a request waits for a permit before
//! it is sent and gives it back when its response's head arrives (the small
//! body is read after), or when the attempt is abandoned. Retries wait out
//! their backoff without a permit, and resolving credentials (AssumeRole)
//! happens before the permit is asked for, so a full budget cannot deadlock
//! a renewal. The connect and read timeouts run inside the wrapped client,
//! after the permit: waiting for a place is never a timeout (the read's
//! deadlines bound it).
//!
//! The default client is taken from the SDK's default plugin rather than built
//! again, so that its TLS, proxy (`HTTPS_PROXY`, `NO_PROXY`) and pool settings
//! stay exactly the SDK's.

use aws_sdk_iam::config::ConfigBag;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The run's budget: at most `size` calls in flight at once.
#[derive(Debug, Clone)]
pub struct CallBudget {
    permits: Arc<Semaphore>,
    size: usize,
    /// The most calls seen in flight at once (for `--stats`): the permits
    /// taken, read as each is granted.
    peak: Arc<AtomicUsize>,
}

impl CallBudget {
    /// A budget of `size` calls (at least one).
    pub fn new(size: usize) -> CallBudget {
        let size = size.max(1);
        CallBudget {
            permits: Arc::new(Semaphore::new(size)),
            size,
            peak: Arc::default(),
        }
    }

    /// How many calls may be in flight at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The most calls that were in flight at once so far.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// The SDK's default HTTPS client, its calls counted against this budget;
    /// `None` when the build has no default client (then nothing could be
    /// called, and the caller says so).
    pub(super) fn http_client(&self) -> Option<SharedHttpClient> {
        let plugin = aws_smithy_runtime::client::defaults::default_http_client_plugin_v2(
            BehaviorVersion::latest(),
        )?;
        let inner = plugin
            .runtime_components(&RuntimeComponentsBuilder::new("drift"))
            .http_client()?;
        Some(SharedHttpClient::new(Budgeted {
            inner,
            budget: self.clone(),
        }))
    }
}

/// The default client, each connector it hands out gated by the budget.
#[derive(Debug)]
struct Budgeted {
    inner: SharedHttpClient,
    budget: CallBudget,
}

impl HttpClient for Budgeted {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Gated {
            inner: self.inner.http_connector(settings, components),
            budget: self.budget.clone(),
        })
    }

    fn validate_base_client_config(
        &self,
        components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_base_client_config(components, cfg)
    }

    fn validate_final_config(
        &self,
        components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.validate_final_config(components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.inner.connector_metadata()
    }
}

#[derive(Debug)]
struct Gated {
    inner: SharedHttpConnector,
    budget: CallBudget,
}

impl HttpConnector for Gated {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let inner = self.inner.clone();
        let budget = self.budget.clone();
        HttpConnectorFuture::new(async move {
            // The semaphore is never closed; a closed one would be a bug, and
            // the call fails as a connection error rather than run unbounded.
            let _permit = budget.permits.clone().acquire_owned().await.map_err(|e| {
                ConnectorError::other(format!("the run's call budget: {e}").into(), None)
            })?;
            let taken = budget.size - budget.permits.available_permits();
            budget.peak.fetch_max(taken, Ordering::Relaxed);
            inner.call(request).await
        })
    }
}
