//! What a response may do without failing the call, and what a request may
//! not: open enums, loose formats, unknown and missing fields. On the
//! fixture shaped like the full Upstash API:
//!
//! ```text
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo test --test fixture_tolerance
//! ```
#![cfg(upstash_api_spec = "upstash-like")]

use serde_json::json;
use upstash_api::mock::{MockApi, MockServerExt};
use upstash_api::{Error, types};

#[tokio::test]
async fn an_unknown_enum_value_is_kept_and_readable() {
    let api = MockApi::start().await;
    api.server().list_databases(|_, then| {
        then.into_inner().status(200).json_body(json!([
            {"database_id": "d1", "database_name": "a", "state": "hibernating",
             "read_regions": ["mars-north-1", "eu-west-1"], "brand_new_field": {"x": 1}},
            {"database_id": "d2", "database_name": "b", "state": "active"},
        ]));
    });
    let databases = api
        .client()
        .unwrap()
        .api()
        .list_databases()
        .send()
        .await
        .unwrap()
        .into_inner();
    let first = &databases[0];
    assert!(first.state.is_unknown());
    assert_eq!(first.state.as_str(), "hibernating");
    let types::State::Unknown(value) = &first.state else {
        panic!("{:?}", first.state);
    };
    assert_eq!(value.as_str(), "hibernating");
    assert_eq!(first.read_regions[0].as_str(), "mars-north-1");
    assert_eq!(first.read_regions[1], types::Region::EuWest1);
    // Listed values stay matchable; missing optional fields are empty.
    assert_eq!(databases[1].state, types::State::Active);
    assert!(databases[1].read_regions.is_empty());
    assert_eq!(databases[1].port, None);
    // Sent back as it came.
    assert_eq!(
        serde_json::to_value(&first.read_regions).unwrap(),
        json!(["mars-north-1", "eu-west-1"])
    );
}

#[tokio::test]
async fn true_false_strings_are_bools_read_quoted_or_not_and_sent_quoted() {
    let api = MockApi::start().await;
    api.server().list_backups(|when, then| {
        when.id("db").daily_only(&true);
        then.into_inner().status(200).json_body(json!([
            {"backup_id": "b1", "name": "n", "creation_time": 1, "daily_backup": "true"},
            {"backup_id": "b2", "name": "n", "creation_time": 2, "daily_backup": false},
            {"backup_id": "b3", "name": "n", "creation_time": 3},
        ]));
    });
    api.server().list_backups(|when, then| {
        when.id("odd");
        then.into_inner().status(200).json_body(json!([
            {"backup_id": "b4", "name": "n", "creation_time": 4, "daily_backup": "sometimes"},
        ]));
    });
    let client = api.client().unwrap();
    let backups = client
        .api()
        .list_backups()
        .id("db")
        .daily_only(true)
        .send()
        .await
        .unwrap()
        .into_inner();
    let daily: Vec<Option<bool>> = backups.iter().map(|b| b.daily_backup).collect();
    assert_eq!(daily, [Some(true), Some(false), None]);
    // As the API writes it: a string, and nothing for `None`.
    let sent = serde_json::to_value(&backups).unwrap();
    assert_eq!(sent[0]["daily_backup"], json!("true"));
    assert_eq!(sent[1]["daily_backup"], json!("false"));
    assert!(sent[2].get("daily_backup").is_none(), "{sent}");
    // A value that is neither is an unreadable answer (the reason's
    // strings are elided: a body may hold secrets).
    let err = client
        .api()
        .list_backups()
        .id("odd")
        .send()
        .await
        .expect_err("not a boolean");
    let text = upstash_api::Error::from(err).to_string();
    assert!(text.contains("invalid value"), "{text}");
    assert!(text.contains("carried the call out"), "{text}");
}

#[tokio::test]
async fn an_address_outside_its_format_does_not_fail_the_response() {
    let api = MockApi::start().await;
    api.server().list_audit_logs(|_, then| {
        then.into_inner().status(200).json_body(json!([
            {"id": "not-a-uuid", "action": "delete", "ip": "2001:db8::1", "timestamp": 1},
            {"id": "x", "action": "create", "ip": "", "timestamp": 2},
            {"id": "y", "action": "login", "timestamp": 3},
        ]));
    });
    let logs = api
        .client()
        .unwrap()
        .api()
        .list_audit_logs()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(logs[0].ip.as_deref(), Some("2001:db8::1"));
    assert_eq!(logs[0].id, "not-a-uuid");
    assert_eq!(logs[1].ip.as_deref(), Some(""));
    assert_eq!(logs[2].action.as_str(), "login");
    assert_eq!(logs[0].action, types::Action::Delete);
}

/// Requests stay strict: a caller cannot send an unlisted value by
/// accident, and no request is sent when one is tried.
#[tokio::test]
async fn requests_refuse_unlisted_values() {
    let refused = types::Region::try_from("mars-north-1").unwrap_err();
    assert_eq!(refused.value(), "mars-north-1");
    assert!("eu-west-1".parse::<types::Region>().is_ok());
    let api = MockApi::start().await;
    let create = api.server().create_database(|_, then| {
        then.into_inner().status(200).json_body(json!({}));
    });
    let result = api
        .client()
        .unwrap()
        .api()
        .create_database()
        .body_map(|b| {
            b.name("a")
                .platform(types::Platform::Aws)
                .primary_region("mars-north-1")
        })
        .send()
        .await;
    let e = result.unwrap_err();
    assert!(
        matches!(&e, Error::InvalidInput { message } if message.contains("mars-north-1")),
        "{e:?}"
    );
    create.assert_calls(0);
    // A request-only enum is the generator's closed enum: no Unknown.
    assert!(types::Platform::try_from("azure").is_err());
}

/// An enum both sides use (`TeamMember.member_role`): a value the API sent
/// can be sent back as it came.
#[tokio::test]
async fn a_shared_enum_echoes_what_the_api_sent() {
    let api = MockApi::start().await;
    api.server().change_member_role(|when, then| {
        when.into_inner()
            .json_body(json!({"team_id": "t", "member_email": "m@x", "member_role": "auditor"}));
        then.into_inner()
            .status(200)
            .json_body(json!({"team_id": "t", "member_email": "m@x", "member_role": "auditor"}));
    });
    let member: types::TeamMember = serde_json::from_value(
        json!({"team_id": "t", "member_email": "m@x", "member_role": "auditor"}),
    )
    .unwrap();
    let back = api
        .client()
        .unwrap()
        .api()
        .change_member_role()
        .body(member.clone())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(back, member);
    assert!(back.member_role.is_unknown());
}
