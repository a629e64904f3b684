//! The one impersonation decision, on every token path, against every way of losing the right:
//! whatever is lost, what was already issued on that path ends at once, and the path refuses to
//! issue anew. Paths: an authorization code through the impersonation session's SSO, a refresh
//! of its refresh token, the subject-token exchange, and `organization_switch` into a child
//! organization. Losses: the impersonator's role taken away, that role's impersonation scope
//! taken away, the application's API authorization for it removed, the user given a privilege
//! the impersonator may not act with, and (for a token in a child organization) the organization
//! deactivated or the application no longer shared with it.

use crate::access::{resource_owning, role, IMPERSONATE};
use crate::harness::*;
use crate::impersonation_fixture::*;
use crate::oauth::{code_request, redeem, refresh};
use crate::organization_switch_grant::{switch, switchable};
use crate::organizations::child;
use engine::access::scopes;
use engine::oauth::authorize::{AuthorizeStep, ConsentAnswer};
use engine::organizations::Sharing;
use engine::roles::RoleAudience;
use engine::OrgId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    CodeThroughSso,
    Refresh,
    Exchange,
    OrganizationSwitch,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loss {
    ImpersonatorsRoleRemoved,
    RolesScopeRemoved,
    AuthorizationRemoved,
    UserAboveImpersonator,
    OrganizationDeactivated,
    SharingRemoved,
}

const PATHS: [Path; 4] = [
    Path::CodeThroughSso,
    Path::Refresh,
    Path::Exchange,
    Path::OrganizationSwitch,
];

const LOSSES: [Loss; 6] = [
    Loss::ImpersonatorsRoleRemoved,
    Loss::RolesScopeRemoved,
    Loss::AuthorizationRemoved,
    Loss::UserAboveImpersonator,
    Loss::OrganizationDeactivated,
    Loss::SharingRemoved,
];

/// Losses about a child organization touch only what was issued there.
fn applies(path: Path, loss: Loss) -> bool {
    path == Path::OrganizationSwitch
        || !matches!(loss, Loss::OrganizationDeactivated | Loss::SharingRemoved)
}

/// The guide's set-up, the application also allowed to switch organizations, and a branch it is
/// shared with that Olga was invited into.
async fn prepared() -> (Setup, OrgId) {
    let mut s = setup().await;
    switchable(&mut s).await;
    let branch = child(&s, None, "Branch", "branch").await;
    s.engine
        .share_application(
            &s.admin,
            &s.app.id,
            Sharing::Selected(vec![branch.clone()]),
            T0,
        )
        .await
        .unwrap();
    s.engine
        .invite_parent_user(&s.admin, &branch, "olga", T0)
        .await
        .unwrap();
    (s, branch)
}

/// What a path issued: an access token to present, or a refresh token to redeem.
enum Issued {
    Access(String),
    Refresh(String),
}

/// Runs `path` once; `None` when it refuses.
async fn issue(s: &Setup, branch: &OrgId, path: Path) -> Option<Issued> {
    match path {
        Path::CodeThroughSso | Path::Refresh => {
            let olga = s.session(T0).await;
            let req = s
                .engine
                .validate_authorization_request(&code_request(&s.app))
                .await
                .unwrap();
            let step = s
                .engine
                .authorize(&req, Some(&olga), ConsentAnswer::NotAsked, T0)
                .await
                .unwrap();
            let AuthorizeStep::Redirect(location) = step else {
                return None;
            };
            let code = crate::oauth::query_param(&location, "code")?;
            let tokens = s.engine.token(&s.app, &redeem(&code), T0).await.ok()?;
            Some(if path == Path::Refresh {
                Issued::Refresh(tokens.refresh_token.unwrap())
            } else {
                Issued::Access(tokens.access_token)
            })
        }
        Path::Exchange => exchanged_token(s).await.map(Issued::Access),
        Path::OrganizationSwitch => {
            let token = exchanged_token(s).await?;
            let params = switch(&token, branch.as_str(), "internal_login");
            let answer = s.engine.token(&s.app, &params, T0).await.ok()?;
            Some(Issued::Access(answer.access_token))
        }
    }
}

/// Whether what was issued is live, without using it up (a refresh token is introspected).
async fn live(s: &Setup, issued: &Issued) -> bool {
    match issued {
        Issued::Access(token) => s.engine.authenticate_bearer(token, T0).await.is_ok(),
        Issued::Refresh(token) => {
            let answer = s.engine.introspect(&s.app, token, T0).await.unwrap();
            answer["active"] == true
        }
    }
}

/// Whether it can still be used: the access token presented, the refresh token redeemed.
async fn usable(s: &Setup, issued: &Issued) -> bool {
    match issued {
        Issued::Access(_) => live(s, issued).await,
        Issued::Refresh(token) => s.engine.token(&s.app, &refresh(token), T0).await.is_ok(),
    }
}

async fn lose(s: &Setup, branch: &OrgId, loss: Loss) {
    let e = &s.engine;
    match loss {
        Loss::ImpersonatorsRoleRemoved => {
            e.set_role_users(&s.admin, &s.impersonation_role, vec![], T0)
                .await
                .unwrap();
        }
        Loss::RolesScopeRemoved => {
            e.update_role(
                &s.admin,
                &s.impersonation_role,
                "Shop impersonation".into(),
                vec![scopes::USER_LIST.into()],
                T0,
            )
            .await
            .unwrap();
        }
        Loss::AuthorizationRemoved => {
            let resource = resource_owning(e, &s.admin, IMPERSONATE).await;
            e.authorize_api_resource(&s.admin, &s.app.id, &resource, vec![], T0)
                .await
                .unwrap();
        }
        Loss::UserAboveImpersonator => {
            role(
                e,
                "Olga impersonates",
                RoleAudience::Application(s.app.client_id.clone()),
                &[IMPERSONATE],
                &["olga"],
            )
            .await;
        }
        Loss::OrganizationDeactivated => {
            e.set_organization_active(&s.admin, branch, false, T0)
                .await
                .unwrap();
        }
        Loss::SharingRemoved => {
            e.share_application(&s.admin, &s.app.id, Sharing::NotShared, T0)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn every_token_path_ends_and_refuses_with_every_lost_right() {
    for path in PATHS {
        for loss in LOSSES.into_iter().filter(|l| applies(path, *l)) {
            let (s, branch) = prepared().await;
            if matches!(path, Path::CodeThroughSso | Path::Refresh) {
                s.impersonate_olga().await;
            }
            let issued = issue(&s, &branch, path)
                .await
                .unwrap_or_else(|| panic!("{path:?} issued nothing before {loss:?}"));
            assert!(live(&s, &issued).await, "{path:?} before {loss:?}");
            lose(&s, &branch, loss).await;
            assert!(
                !live(&s, &issued).await && !usable(&s, &issued).await,
                "{path:?}: what was issued outlived {loss:?}"
            );
            assert!(
                issue(&s, &branch, path).await.is_none(),
                "{path:?} issued anew after {loss:?}"
            );
        }
    }
}
