//! Wire types shared by the server functions and the WASM UI. No secret lives in these types except
//! the one-time reveal of a new client secret ([`OneTimeSecret`]).

pub mod administrators;
pub mod api_resources;
pub mod applications;
pub mod audit;
pub mod error;
pub mod factors;
pub mod impersonation;
pub mod my_account;
pub mod notifications;
pub mod organizations;
pub mod page;
pub mod roles;
pub mod session;
pub mod time;
pub mod users;

pub use administrators::{Administrator, ConsoleRole};
pub use api_resources::{ApiResource, ApiResourceForm, ApiScope, Authorization};
pub use applications::{
    ApplicationDetail, ApplicationSummary, CreatedApplication, Endpoints, GeneralForm,
    NewApplicationForm, OneTimeSecret, ProtocolForm, GRANT_TYPES,
};
pub use audit::{
    AccountActivity, AccountImpersonation, ChangeMade, IntegrityReport, LogParty, LogQuery, LogRow,
    LogsPage,
};
pub use error::{AppError, FieldError};
pub use factors::{AuthenticatorSetupView, SecondFactorsSummary};
pub use impersonation::{
    ImpersonationAvailability, ImpersonationBanner, ImpersonationEnd, ImpersonationHistory,
    ImpersonationPolicyView, ImpersonationSession, JustificationAsk, KillSwitchView,
};
pub use my_account::{LaunchableApplication, MyApplications, MySession};
pub use notifications::{
    EmailPreview, EmailTemplateDetail, EmailTemplateSummary, ImpersonationConfig, OutboxDetail,
    OutboxItem,
};
pub use organizations::{Organization, SharedAccess};
pub use page::Paged;
pub use roles::{AppRef, Member, RoleAudienceFilter, RoleDetail, RolePermission, RoleSummary};
pub use session::{Abilities, ConsoleSession};
pub use users::{
    HeldRole, ImpersonationLimits, Profile, UserDetail, UserOverview, UserPage, UserSession,
    UserStatus, UserSummary,
};
