//! Operator commands of the `server` binary, run against the configured database:
//!
//! ```text
//! server                      serve (the default)
//! server create-application --name NAME --redirect-uri URI… [--post-logout-redirect-uri URI…]
//!        [--public] [--grant-type TYPE…] [--access-url URL] [--description TEXT]
//!        [--authorize-scope SCOPE…]
//! server create-role --name NAME (--audience-organization | --audience-application CLIENT_ID)
//!        [--permission SCOPE…] [--assign USERNAME…]
//! server rotate-signing-key
//! server verify-audit          exit status 0 when the audit trail is intact, 1 naming the break
//! ```

use engine::applications::{ClientType, GrantType, NewApplication};
use engine::roles::{NewRole, RoleAudience};
use engine::{Engine, Error, Timestamp};
use serde_json::json;

pub enum Command {
    Serve,
    CreateApplication(NewApplication),
    CreateRole(NewRole),
    RotateSigningKey,
    VerifyAudit,
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((name, rest)) = args.split_first() else {
        return Ok(Command::Serve);
    };
    match name.as_str() {
        "serve" => Ok(Command::Serve),
        "rotate-signing-key" if rest.is_empty() => Ok(Command::RotateSigningKey),
        "verify-audit" if rest.is_empty() => Ok(Command::VerifyAudit),
        "create-application" => parse_new_application(rest).map(Command::CreateApplication),
        "create-role" => parse_new_role(rest).map(Command::CreateRole),
        other => Err(format!(
            "unknown command {other}; use serve, create-application, create-role or rotate-signing-key"
        )),
    }
}

fn parse_new_application(args: &[String]) -> Result<NewApplication, String> {
    let mut app = NewApplication {
        name: String::new(),
        description: String::new(),
        client_type: ClientType::Confidential,
        redirect_uris: Vec::new(),
        post_logout_redirect_uris: Vec::new(),
        grant_types: Vec::new(),
        access_url: String::new(),
        authorized_scopes: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--name" => app.name = value()?,
            "--description" => app.description = value()?,
            "--redirect-uri" => app.redirect_uris.push(value()?),
            "--post-logout-redirect-uri" => app.post_logout_redirect_uris.push(value()?),
            "--access-url" => app.access_url = value()?,
            "--authorize-scope" => app.authorized_scopes.push(value()?),
            "--public" => app.client_type = ClientType::Public,
            "--grant-type" => {
                let raw = value()?;
                app.grant_types.push(
                    GrantType::parse(&raw).ok_or_else(|| format!("unknown grant type {raw}"))?,
                );
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if app.grant_types.is_empty() {
        app.grant_types = vec![GrantType::AuthorizationCode, GrantType::RefreshToken];
    }
    Ok(app)
}

fn parse_new_role(args: &[String]) -> Result<NewRole, String> {
    let mut role = NewRole {
        name: String::new(),
        audience: RoleAudience::Organization,
        permissions: Vec::new(),
        assign: Vec::new(),
    };
    let mut audience_given = false;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--name" => role.name = value()?,
            "--audience-organization" => {
                role.audience = RoleAudience::Organization;
                audience_given = true;
            }
            "--audience-application" => {
                role.audience = RoleAudience::Application(value()?);
                audience_given = true;
            }
            "--permission" => role.permissions.push(value()?),
            "--assign" => role.assign.push(value()?),
            other => return Err(format!("unknown option {other}")),
        }
    }
    if !audience_given {
        return Err("choose --audience-organization or --audience-application CLIENT_ID".into());
    }
    Ok(role)
}

fn field_errors(fields: &[engine::FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs a command other than `serve`; prints its result as one JSON line.
pub async fn run(engine: &Engine, command: Command, now: Timestamp) -> Result<(), String> {
    match command {
        Command::Serve => Ok(()),
        Command::VerifyAudit => {
            let report = engine
                .verify_audit_trail_as_operator()
                .await
                .map_err(|e| format!("verifying the audit trail: {e}"))?;
            if report.is_intact() {
                println!("{}", report.summary());
                Ok(())
            } else {
                Err(report.summary())
            }
        }
        Command::RotateSigningKey => {
            let rotation = engine
                .rotate_signing_key(now)
                .await
                .map_err(|e| format!("rotating the signing key: {e}"))?;
            println!(
                "{}",
                json!({ "kid": rotation.kid, "signs_from": rotation.signs_from.0 })
            );
            Ok(())
        }
        Command::CreateApplication(new) => {
            let org = engine.root_org().await.map_err(|e| e.to_string())?;
            match engine.create_application("operator", &org, new, now).await {
                Ok((app, secret)) => {
                    println!(
                        "{}",
                        json!({
                            "client_id": app.client_id,
                            "client_secret": secret.as_ref().map(|s| s.expose().to_owned()),
                        })
                    );
                    Ok(())
                }
                Err(Error::Invalid(fields)) => Err(field_errors(&fields)),
                Err(e) => Err(format!("creating the application: {e}")),
            }
        }
        Command::CreateRole(new) => {
            let org = engine.root_org().await.map_err(|e| e.to_string())?;
            match engine.create_role("operator", &org, new, now).await {
                Ok(id) => {
                    println!("{}", json!({ "role_id": id.as_str() }));
                    Ok(())
                }
                Err(Error::Invalid(fields)) => Err(field_errors(&fields)),
                Err(e) => Err(format!("creating the role: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_commands() {
        assert!(matches!(parse(&[]), Ok(Command::Serve)));
        assert!(matches!(
            parse(&args("rotate-signing-key")),
            Ok(Command::RotateSigningKey)
        ));
        let Ok(Command::CreateApplication(app)) = parse(&args(
            "create-application --name Shop --redirect-uri https://shop.example/cb --public",
        )) else {
            panic!("create-application parses");
        };
        assert_eq!(app.client_type, ClientType::Public);
        assert_eq!(
            app.redirect_uris,
            vec!["https://shop.example/cb".to_owned()]
        );
        assert!(parse(&args("create-application --name")).is_err());
        assert!(parse(&args("create-application --grant-type implicit")).is_err());
        assert!(parse(&args("frobnicate")).is_err());
        let Ok(Command::CreateRole(role)) = parse(&args(
            "create-role --name SCIM --audience-application abc --permission internal_user_mgt_list --assign admin",
        )) else {
            panic!("create-role parses");
        };
        assert_eq!(role.audience, RoleAudience::Application("abc".into()));
        assert!(
            parse(&args("create-role --name SCIM")).is_err(),
            "the audience is required"
        );
    }
}
