//! How the authorization endpoint answers: the response types it serves, and where their
//! parameters go (the query for a code, the fragment for tokens).

/// What the client asked to receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseKind {
    /// `code`: the authorization code flow.
    Code,
    /// `subject_token` (or `id_token subject_token`): an impersonation request's artifact, in the
    /// fragment, for the token exchange that follows.
    SubjectToken { with_id_token: bool },
}

impl ResponseKind {
    pub(crate) fn parse(raw: &str) -> Option<Self> {
        let mut parts: Vec<&str> = raw.split(' ').filter(|p| !p.is_empty()).collect();
        parts.sort_unstable();
        match parts.as_slice() {
            ["code"] => Some(Self::Code),
            ["subject_token"] => Some(Self::SubjectToken {
                with_id_token: false,
            }),
            ["id_token", "subject_token"] => Some(Self::SubjectToken {
                with_id_token: true,
            }),
            _ => None,
        }
    }

    /// Tokens travel in the fragment, never the query (which servers log); errors go the same way.
    pub(crate) fn in_fragment(self) -> bool {
        self != Self::Code
    }
}

/// Builds `redirect_uri` plus response parameters in the fragment (OAuth 2.0 Multiple Response
/// Type Encoding Practices §3), replacing any fragment it had.
pub fn redirect_with_fragment(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let encoded: String = form_urlencoded_pairs(params);
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            url.set_fragment(Some(&encoded));
            url.to_string()
        }
        Err(_) => format!("{redirect_uri}#{encoded}"),
    }
}

fn form_urlencoded_pairs(params: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Builds `redirect_uri` plus response parameters in the query, keeping any query it had.
pub fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            {
                let mut q = url.query_pairs_mut();
                for (k, v) in params {
                    q.append_pair(k, v);
                }
            }
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}
