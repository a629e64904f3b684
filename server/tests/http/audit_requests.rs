//! The contract's audit lines for requests an impersonated access token authorizes, on real
//! requests: one event per non-GET request with the action of its method, in the exact line
//! format, followed by the change's own event ending with `| Impersonator : <id>`; none for GET,
//! none for a request the token was not allowed to make.

use super::impersonation::{claims, exchange_body, fragment, guide, subject_query_scoped};
use super::oauth::{body_json, get, token_request};
use super::*;
use engine::access::scopes;
use regex::Regex;

/// The impersonated access token of the guide's API flow, the impersonator's id and Olga's role's
/// scopes in the shop.
pub(super) async fn impersonated_token(
    g: &super::impersonation::Guide,
    authorized: &[&str],
    olga_may: &[&str],
) -> (String, String, String, super::oauth::Client) {
    let shop = g.shop_authorized(authorized, olga_may).await;
    let r = get(
        &g.app,
        &format!(
            "/oauth2/authorize?{}",
            subject_query_scoped(
                &shop,
                Some(&g.olga),
                &format!(
                    "openid internal_user_impersonate internal_login {}",
                    olga_may.join(" ")
                )
            )
        ),
        Some(&g.cookie),
    )
    .await;
    let to = location(&r).to_owned();
    let subject_token = fragment(&to, "subject_token").unwrap();
    let actor_token = fragment(&to, "id_token").unwrap();
    let r = token_request(
        &g.app,
        Some(&shop.basic()),
        &exchange_body(&shop, &subject_token, &actor_token),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let access = body_json(r).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let c = claims(&access);
    (
        access.clone(),
        c["act"]["sub"].as_str().unwrap().to_owned(),
        c["client_id"].as_str().unwrap().to_owned(),
        shop,
    )
}

async fn bearer(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    correlation: &str,
    body: &'static str,
) -> http::Response<Body> {
    send(
        app,
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/scim+json")
            .header("x-correlation-id", correlation)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// The server's correlation id of an answered request.
fn correlation_of(r: &http::Response<Body>) -> String {
    r.headers()["x-correlation-id"].to_str().unwrap().to_owned()
}

/// The audit log file's lines, as the projection writes them.
pub(super) async fn log_lines(engine: &Engine) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("guise-audit-http-{}", uuid_like()));
    let log = dir.join("audit.log");
    engine.project_audit_log(&log).await.unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_dir_all(dir).unwrap();
    text.lines().map(str::to_owned).collect()
}

/// Who the impersonated token's requests name.
struct Names<'a> {
    admin: &'a str,
    olga: &'a str,
    client: &'a str,
    scope: &'a str,
}

/// The contract's line of a request event.
fn request_line(
    n: &Names<'_>,
    action: &str,
    correlation: &str,
    path: &str,
    method: &str,
    outcome: &str,
) -> Regex {
    Regex::new(&format!(
        r#"^TID: \[-1234\] \[\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}:\d{{2}},\d{{3}}\] \[{correlation}\]  INFO \{{AUDIT_LOG\}} - Initiator={admin} Action={action} Target={olga} Data=\{{"ResourcePath":"{path}","clientId":"{client}","subject":"{olga}","scope":"{scope}","impersonator":"{admin}","httpMethod":"{method}"\}} Outcome={outcome}$"#,
        correlation = regex::escape(correlation),
        path = regex::escape(path),
        scope = regex::escape(n.scope),
        admin = n.admin,
        olga = n.olga,
        client = n.client,
    ))
    .unwrap()
}

#[tokio::test]
async fn every_change_making_request_of_an_impersonated_token_is_audited_in_the_contracts_format() {
    let g = guide().await;
    let olga_may = [
        scopes::USER_LIST,
        scopes::USER_VIEW,
        scopes::USER_CREATE,
        scopes::USER_UPDATE,
        scopes::USER_DELETE,
    ];
    let (token, admin, client, _) = impersonated_token(&g, &olga_may, &olga_may).await;
    let scope = claims(&token)["scope"].as_str().unwrap().to_owned();
    let victim = g
        .engine
        .create_user(
            &g.admin,
            engine::users::NewUser {
                username: "victor".into(),
                email: "victor@example.com".into(),
                given_name: "Victor".into(),
                family_name: "V".into(),
                password: "victor-password".into(),
            },
            SystemClock.now(),
        )
        .await
        .unwrap()
        .id
        .to_string();
    let before = log_lines(&g.engine).await.len();

    // GET: nothing.
    let r = bearer(&g.app, "GET", "/scim2/Me", &token, "corr-get", "").await;
    assert_eq!(r.status(), StatusCode::OK);
    // The server's own correlation id, never the caller's.
    assert_ne!(r.headers()["x-correlation-id"], "corr-get");
    assert_eq!(log_lines(&g.engine).await.len(), before);

    // PATCH /scim2/Me: the request's event, then the change's own, one correlation id.
    let r = bearer(&g.app, "PATCH", "/scim2/Me", &token, "corr-patch",
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"addresses[type eq \"work\"].country","value":"Sweden"}]}"#).await;
    let corr_patch = correlation_of(&r);
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "{}",
        super::oauth::body_text(r).await
    );
    let lines = log_lines(&g.engine).await;
    let new: Vec<&String> = lines[before..].iter().collect();
    assert_eq!(new.len(), 2, "{new:#?}");
    let olga = g.olga.as_str();
    let names = Names {
        admin: &admin,
        olga,
        client: &client,
        scope: &scope,
    };
    assert!(
        request_line(
            &names,
            "resource-modification-via-impersonation",
            &corr_patch,
            "/scim2/Me",
            "PATCH",
            "AUTHORIZED"
        )
        .is_match(new[0]),
        "{}",
        new[0]
    );
    let change = Regex::new(&format!(
        r#"^TID: \[-1234\] \[[^\]]+\] \[{corr_patch}\]  INFO \{{AUDIT_LOG\}} - Initiator={olga} Action=Set-User-Claim-Values Target=\S+ Data=\{{.*"S\*\*\*\*n".*\}} Outcome=Success \| Impersonator : {admin}$"#
    ))
    .unwrap();
    assert!(change.is_match(new[1]), "{}", new[1]);

    // POST (a search, which changes nothing of ours: audited all the same).
    let count = lines.len();
    let r = bearer(
        &g.app,
        "POST",
        "/scim2/Users/.search",
        &token,
        "corr-post",
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"count":1}"#,
    )
    .await;
    let corr_post = correlation_of(&r);
    assert_eq!(r.status(), StatusCode::OK);
    let lines = log_lines(&g.engine).await;
    assert_eq!(lines.len(), count + 1);
    assert!(
        request_line(
            &names,
            "resource-creation-via-impersonation",
            &corr_post,
            "/scim2/Users/.search",
            "POST",
            "AUTHORIZED"
        )
        .is_match(&lines[count]),
        "{}",
        lines[count]
    );

    // PUT: resource-access-via-impersonation (here refused by SCIM as a bad body, after the
    // token authorized it: still audited, once, with the outcome saying so).
    let count = lines.len();
    let r = bearer(
        &g.app,
        "PUT",
        &format!("/scim2/Users/{victim}"),
        &token,
        "corr-put",
        "{}",
    )
    .await;
    let corr_put = correlation_of(&r);
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let lines = log_lines(&g.engine).await;
    assert_eq!(lines.len(), count + 1, "{:#?}", &lines[count..]);
    assert!(
        request_line(
            &names,
            "resource-access-via-impersonation",
            &corr_put,
            &format!("/scim2/Users/{victim}"),
            "PUT",
            "REJECTED"
        )
        .is_match(&lines[count]),
        "{}",
        lines[count]
    );

    // DELETE: the request, then Delete-User in the user's name with the impersonator.
    let count = lines.len();
    let r = bearer(
        &g.app,
        "DELETE",
        &format!("/scim2/Users/{victim}"),
        &token,
        "corr-delete",
        "",
    )
    .await;
    let corr_delete = correlation_of(&r);
    assert_eq!(
        r.status(),
        StatusCode::NO_CONTENT,
        "{}",
        super::oauth::body_text(r).await
    );
    let lines = log_lines(&g.engine).await;
    assert_eq!(lines.len(), count + 2, "{:#?}", &lines[count..]);
    assert!(
        request_line(
            &names,
            "resource-deletion-via-impersonation",
            &corr_delete,
            &format!("/scim2/Users/{victim}"),
            "DELETE",
            "AUTHORIZED"
        )
        .is_match(&lines[count]),
        "{}",
        lines[count]
    );
    assert!(
        lines[count + 1].contains("Action=Delete-User")
            && lines[count + 1].ends_with(&format!("| Impersonator : {admin}")),
        "{}",
        lines[count + 1]
    );

    // A request the token may not make (no such scope for /Me's password) is not authorized: no
    // "AUTHORIZED" line.
    let count = lines.len();
    let r = send(
        &g.app,
        Request::patch("/scim2/Users/00000000-0000-0000-0000-000000000000")
            .header(header::AUTHORIZATION, "Bearer not-a-token")
            .header(header::CONTENT_TYPE, "application/scim+json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(log_lines(&g.engine).await.len(), count);
    assert!(g
        .engine
        .verify_audit_trail_as_operator()
        .await
        .unwrap()
        .is_intact());
}
