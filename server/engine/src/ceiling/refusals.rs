//! Why the engine's decisions refuse, as the kinds its errors carry: a leaf (no module of the engine
//! below it), so that the error type can name them without reaching up into the decisions.

/// Why an impersonation is not allowed. Each says so in words a person can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Yourself,
    /// No such user in the impersonator's organization.
    OtherOrganization,
    Inactive,
    /// The user holds Console administration or impersonation scopes.
    Privileged,
    /// The user holds other system scopes the impersonator does not hold (the ceiling).
    AboveCeiling,
    /// The impersonator does not hold `internal_user_impersonate` (in a child organization,
    /// `internal_org_user_impersonate`) for this application.
    NotPermittedHere,
    /// The SSO session already impersonates someone else.
    SecondSubject,
    /// Impersonating from inside an impersonation.
    Chaining,
    /// My Account is disabled, so the Console cannot impersonate.
    MyAccountDisabled,
    /// An application the impersonation entered needs the user's consent, which an impersonator
    /// may not give on the user's behalf.
    ConsentOnBehalf,
    /// The impersonator was invited into this organization from a parent one (the guide's first
    /// limitation): only the organization's own users impersonate its users.
    InvitedImpersonator,
    /// The user was invited into this organization from a parent one (the guide's second
    /// limitation): their account lives, and is answered for, at home.
    InvitedSubject,
    /// The application (My Account, for the Console) is not shared with this organization.
    NotShared,
    /// The Console, entered from inside an impersonation: it is the impersonator's own tool.
    ConsoleWhileImpersonating,
    /// An administrator paused impersonation in the organization (or in every organization).
    Paused,
    /// The impersonator's sign-in is older than the organization's step-up window, or lacks the
    /// second factor the policy asks for: they must prove who they are again.
    StepUpRequired,
    /// The policy asks for a second factor and the impersonator has none.
    SecondFactorNeeded,
}

impl Refusal {
    /// The message shown to the impersonator (and the OAuth `error_description`).
    pub fn message(self) -> &'static str {
        match self {
            Self::Yourself => "You cannot impersonate yourself.",
            Self::OtherOrganization => "You can impersonate only users of your own organization.",
            // Exactly as the wire contract says.
            Self::Inactive => "Cannot impersonate an inactive user account",
            Self::Privileged => {
                "This user holds administration or impersonation privileges and cannot be impersonated."
            }
            Self::AboveCeiling => {
                "This user holds privileges you do not hold, so you cannot impersonate them."
            }
            Self::NotPermittedHere => {
                "You are not permitted to impersonate users in this application: it needs a role that grants User Impersonation for it."
            }
            Self::SecondSubject => {
                "Cannot perform impersonation on more than one user in the same session."
            }
            Self::Chaining => "You cannot start an impersonation while impersonating.",
            Self::MyAccountDisabled => {
                "My Account is disabled, so users cannot be impersonated through it."
            }
            Self::InvitedImpersonator => {
                "Only this organization's own users can impersonate its users: users of a parent organization, invited or not, cannot."
            }
            Self::InvitedSubject => {
                "This user was invited from a parent organization and cannot be impersonated here: an impersonator of their own organization can."
            }
            Self::NotShared => {
                "This application is not shared with this organization: share it from its Shared Access tab in the parent organization first."
            }
            Self::ConsoleWhileImpersonating => {
                "The Console is not available while impersonating: stop impersonating to return to it."
            }
            Self::StepUpRequired => {
                "Confirm who you are to start an impersonation: it needs a recent sign-in, with your second factor when you have one."
            }
            Self::SecondFactorNeeded => {
                "Impersonation here needs two-step verification: add an authenticator app in My Account first."
            }
            Self::Paused => {
                "Impersonation is paused in this organization: an administrator must resume it first."
            }
            Self::ConsentOnBehalf => {
                "This application asks for the user's consent, which an impersonator cannot give on the user's behalf. Ask an administrator to enable Skip login consent for it."
            }
        }
    }
}

/// A change only the user may make to their own account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitive {
    /// The password, or any other credential.
    Credentials,
    /// Where the account is recovered and notified.
    Email,
    /// What the user signs in with.
    Username,
    /// What a provisioning client knows the account by.
    ExternalId,
    /// Active, locked, disabled.
    Status,
    /// The account's existence.
    Deletion,
    /// What the user has seen of their own account's impersonations.
    ActivityView,
    /// The second factors the user signs in with (an authenticator app, recovery codes): never
    /// added, removed or used by someone acting as the user.
    SecondFactors,
}

impl Sensitive {
    /// The message the impersonator is shown.
    pub fn message(self) -> &'static str {
        match self {
            Self::Credentials => "While impersonating, you cannot change the user's password.",
            Self::Email => "While impersonating, you cannot change the user's email address.",
            Self::Username => "While impersonating, you cannot change the user's username.",
            Self::ExternalId => "While impersonating, you cannot change the user's external id.",
            Self::Status => "While impersonating, you cannot lock, disable or reactivate the user.",
            Self::Deletion => "While impersonating, you cannot delete the user's account.",
            Self::ActivityView => {
                "While impersonating, you cannot see the user's account activity."
            }
            Self::SecondFactors => {
                "While impersonating, you cannot add, remove or use the user's two-step verification."
            }
        }
    }

    /// The form field the refusal belongs next to, when there is one.
    pub fn field(self) -> Option<&'static str> {
        match self {
            Self::Email => Some("email"),
            Self::Username => Some("username"),
            Self::ExternalId => Some("external_id"),
            // The password form's refusal is the whole form's: no one field is wrong.
            Self::Credentials
            | Self::Status
            | Self::Deletion
            | Self::ActivityView
            | Self::SecondFactors => None,
        }
    }
}
