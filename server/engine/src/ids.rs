//! Identifiers are newtypes so that a user id can never be passed where an organization id belongs.

use std::fmt;

macro_rules! uuid_id {
    ($name:ident, $what:literal) => {
        #[doc = concat!("The id of ", $what, " (a UUID, stored as text).")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// A fresh random id.
            pub fn generate() -> Self {
                Self(uuid::Uuid::new_v4().to_string())
            }

            /// Parses untrusted input; anything but a UUID is rejected.
            pub fn parse(raw: &str) -> Option<Self> {
                uuid::Uuid::parse_str(raw.trim())
                    .ok()
                    .map(|u| Self(u.to_string()))
            }

            /// Wraps a value read back from our own storage.
            #[allow(dead_code)] // not every kind of id is read back from storage yet
            pub(crate) fn from_db(raw: String) -> Self {
                Self(raw)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

uuid_id!(UserId, "a user");
uuid_id!(OrgId, "an organization");
uuid_id!(AppId, "an application");
uuid_id!(RoleId, "a role");
uuid_id!(ApiResourceId, "an API resource");
