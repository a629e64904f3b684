//! Organizations: the tree of child organizations below the root, their members (resident and
//! invited), and applications shared down the tree. The organization switch grant
//! ([`crate::oauth::organization_switch`]) carries a token into a child organization on these
//! rules.

pub(crate) mod acting;
mod manage;
pub(crate) mod members;
pub(crate) mod sharing;
pub(crate) mod switch;
pub(crate) mod system_roles;
pub(crate) mod tree;

pub use manage::{NewOrganization, Organization, PathOrganization};
pub use sharing::Sharing;
