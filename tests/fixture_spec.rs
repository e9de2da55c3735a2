//! The whole pipeline on a spec shaped like the full Upstash API
//! (`tests/fixtures/upstash-like.yml`: 16 operations, five tags, list
//! endpoints, enums, nested objects, maps, int32/int64/float/uuid/ipv4,
//! query parameters, PATCH and DELETE with bodies, two path parameters).
//!
//! These tests compile only when the crate is generated from that spec:
//!
//! ```text
//! UPSTASH_API_SPEC=tests/fixtures/upstash-like.yml cargo test --test fixture_spec
//! ```
//!
//! (`.ci/run` does this). Nothing in `build.rs`, `src/` or the mocks changes.
#![cfg(upstash_api_spec = "upstash-like")]

use serde_json::json;
use upstash_api::mock::{Answer, MockApi, MockServerExt};
use upstash_api::types;

fn with_auth(api: &MockApi, when: httpmock::When) -> httpmock::When {
    api.require_auth(when)
        .header("user-agent", upstash_api::DEFAULT_USER_AGENT)
}

#[tokio::test]
async fn list_endpoints_return_typed_arrays() {
    let api = MockApi::start().await;
    let mock = api.server().list_databases(|when, then| {
        with_auth(&api, when.into_inner());
        then.into_inner().status(200).json_body(json!([
            {"database_id": "0b9a7a8e-6a0c-4c35-9d5b-2f0f3f8f1a11", "database_name": "cache",
             "state": "active", "port": 6379, "creation_time": 1_732_000_000_000_i64,
             "read_regions": ["eu-west-1"], "labels": {"env": "prod"}},
        ]));
    });
    let client = api.client().unwrap();
    let dbs = client
        .api()
        .list_databases()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(dbs.len(), 1);
    assert_eq!(dbs[0].database_name, "cache");
    assert_eq!(dbs[0].state, types::State::Active);
    assert_eq!(dbs[0].read_regions, vec![types::Region::EuWest1]);
    assert_eq!(dbs[0].creation_time, Some(1_732_000_000_000));
    assert_eq!(dbs[0].labels.get("env").map(String::as_str), Some("prod"));
    mock.assert_calls(1);
}

#[tokio::test]
async fn query_parameters_and_nested_maps_and_floats() {
    let api = MockApi::start().await;
    let mock = api.server().get_database_stats(|when, then| {
        let when = when.id("db-1").period(types::Period::X1d).limit(5);
        with_auth(&api, when.into_inner());
        then.into_inner().status(200).json_body(json!({
            "throughput": 1.5, "latency_p99": 0.25,
            "keyspace": {"db0": 12}, "billing": {"monthly_cost": 9.99, "currency": "USD"}
        }));
    });
    let client = api.client().unwrap();
    let stats = client
        .api()
        .get_database_stats()
        .id("db-1")
        .period(types::Period::X1d)
        .limit(5)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stats.throughput, Some(1.5_f64));
    assert_eq!(stats.keyspace.get("db0"), Some(&12_i64));
    assert_eq!(stats.billing.unwrap().monthly_cost, Some(9.99_f64));
    mock.assert_calls(1);
}

#[tokio::test]
async fn patch_and_delete_send_json_bodies() {
    let api = MockApi::start().await;
    let patch = api.server().update_regions(|when, then| {
        let body = types::UpdateRegionsBody::builder()
            .read_regions(vec![types::Region::UsEast1, types::Region::ApSoutheast1]);
        let when = when.id("db-1").body(&body.try_into().unwrap());
        with_auth(&api, when.into_inner());
        then.success(200, "OK");
    });
    let delete = api.server().remove_team_member(|when, then| {
        let body = types::RemoveTeamMemberBody::builder()
            .team_id("6a1f")
            .member_email("x@example.com");
        let when = when.body(&body.try_into().unwrap());
        with_auth(&api, when.into_inner());
        then.success(200, "OK");
    });
    let client = api.client().unwrap();
    client
        .api()
        .update_regions()
        .id("db-1")
        .body_map(|b| b.read_regions(vec![types::Region::UsEast1, types::Region::ApSoutheast1]))
        .send()
        .await
        .unwrap();
    client
        .api()
        .remove_team_member()
        .body_map(|b| b.team_id("6a1f").member_email("x@example.com"))
        .send()
        .await
        .unwrap();
    patch.assert_calls(1);
    delete.assert_calls(1);
}

#[tokio::test]
async fn two_path_parameters_and_formats() {
    let api = MockApi::start().await;
    let delete = api.server().delete_backup(|when, then| {
        with_auth(&api, when.id("db-1").backup_id("bk-2").into_inner());
        then.success(200, "OK");
    });
    let user = api.server().get_qstash_user(|when, then| {
        with_auth(&api, when.into_inner());
        then.into_inner().status(200).json_body(json!({
            "id": "3f1c", "email": "q@example.com", "allowed_ip": "203.0.113.7",
            "max_requests_per_day": 5_000_000_000_i64
        }));
    });
    let client = api.client().unwrap();
    client
        .api()
        .delete_backup()
        .id("db-1")
        .backup_id("bk-2")
        .send()
        .await
        .unwrap();
    let user_value = client
        .api()
        .get_qstash_user()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(user_value.allowed_ip.as_deref(), Some("203.0.113.7"));
    assert_eq!(user_value.max_requests_per_day, Some(5_000_000_000));
    assert_eq!(user_value.id, "3f1c");
    delete.assert_calls(1);
    user.assert_calls(1);
}

#[tokio::test]
async fn errors_and_retries_work_for_new_operations_too() {
    let api = MockApi::start().await;
    let limited = api.server().list_teams(|when, then| {
        with_auth(&api, when.into_inner());
        Answer::RateLimited {
            retry_after_secs: 0,
        }
        .apply(then.into_inner());
    });
    limited.up_to_n_times(1);
    let ok = api.server().list_teams(|when, then| {
        with_auth(&api, when.into_inner());
        then.into_inner().status(200).json_body(json!([]));
    });
    let missing = api.server().delete_search_index(|when, then| {
        when.id("nope");
        Answer::NotFound("index not found").apply(then.into_inner());
    });
    let client = api.client().unwrap();
    let teams = client.api().list_teams().send().await.unwrap().into_inner();
    assert!(teams.is_empty());
    limited.assert_calls(1);
    ok.assert_calls(1);
    let err = client
        .api()
        .delete_search_index()
        .id("nope")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, upstash_api::Error::NotFound { message: Some(m) } if m == "index not found"),
        "{err:?}"
    );
    missing.assert_calls(1);
}

#[tokio::test]
async fn the_hand_written_restore_still_works() {
    let api = MockApi::start().await;
    let restore = api.server().restore_backup(|when, then| {
        with_auth(&api, when.id("db").into_inner());
        then.success(200, "OK");
    });
    api.client()
        .unwrap()
        .restore_backup("db", "bk")
        .await
        .unwrap();
    restore.assert_calls(1);
}

/// Generated types are `#[non_exhaustive]`, and this test is another crate:
/// a type whose fields are all optional starts from `Default` and takes
/// field assignments (what a mock answer in a downstream test does); a
/// literal would not compile, so a new field cannot break this code.
#[test]
fn a_type_with_only_optional_fields_is_built_from_default_and_assignments() {
    let mut stats = types::DatabaseStats::default();
    stats.daily_net_commands = Some(42);
    stats.keyspace.insert("db0".to_string(), 7);
    let json = serde_json::to_value(&stats).unwrap();
    assert_eq!(json["daily_net_commands"], 42);
    assert_eq!(json["keyspace"]["db0"], 7);
    assert!(json.get("throughput").is_none(), "{json}");
}

/// A `number` with an integral value goes out as an integer (`1536`, not
/// serde_json's `1536.0`), in a body and in a query; other values as they are.
#[tokio::test]
async fn integral_numbers_go_out_as_integers() {
    let api = MockApi::start().await;
    let create = api.server().create_vector_index(|when, then| {
        let when = when.into_inner().method(httpmock::Method::POST).body(
            r#"{"dimension_count":1536,"monthly_budget":1536,"name":"idx","region":"us-east-1","score_weights":[1,0.25],"similarity_function":"COSINE"}"#,
        );
        with_auth(&api, when);
        then.into_inner().status(200).json_body(json!({
            "id": "i-1", "name": "idx", "region": "us-east-1"
        }));
    });
    let stats = api.server().get_database_stats(|when, then| {
        let when = when.id("db-1").into_inner().query_param("sample_rate", "2");
        with_auth(&api, when);
        then.into_inner().status(200).json_body(json!({}));
    });
    let fraction = api.server().get_database_stats(|when, then| {
        let when = when
            .id("db-2")
            .into_inner()
            .query_param("sample_rate", "0.5");
        with_auth(&api, when);
        then.into_inner().status(200).json_body(json!({}));
    });
    let client = api.client().unwrap();
    client
        .api()
        .create_vector_index()
        .body_map(|b| {
            b.name("idx")
                .region(types::Region::UsEast1)
                .similarity_function(types::SimilarityFunction::Cosine)
                .dimension_count(1536)
                .monthly_budget(1536.0)
                .score_weights(vec![1.0, 0.25])
        })
        .send()
        .await
        .unwrap();
    for (id, rate) in [("db-1", 2.0), ("db-2", 0.5)] {
        let api = client.api();
        api.get_database_stats()
            .id(id)
            .sample_rate(rate)
            .send()
            .await
            .unwrap();
    }
    create.assert_calls(1);
    stats.assert_calls(1);
    fraction.assert_calls(1);
    let body = types::CreateVectorIndexBody::builder()
        .name("idx")
        .region(types::Region::UsEast1)
        .similarity_function(types::SimilarityFunction::Cosine)
        .dimension_count(1)
        .monthly_budget(f64::NAN);
    let body: types::CreateVectorIndexBody = body.try_into().unwrap();
    let text = serde_json::to_string(&body).unwrap();
    assert!(
        text.contains(r#""monthly_budget":null"#),
        "as serde_json writes NaN: {text}"
    );
}

/// A value read from one answer goes into the next request as it is: one
/// type per concept (`similarity_function`, `type`, `region` of a vector
/// index; the `period` of two operations), and a conversion the builders
/// accept between the enums of one family (a database's `primary_region`
/// into a create request's `Region`).
#[tokio::test]
async fn a_value_read_from_an_answer_goes_into_the_next_request() {
    let api = MockApi::start().await;
    api.server().get_database(|when, then| {
        when.id("db-1");
        then.into_inner().status(200).json_body(json!({
            "database_id": "0b9a7a8e-6a0c-4c35-9d5b-2f0f3f8f1a11", "database_name": "cache",
            "state": "active", "primary_region": "eu-west-1",
        }));
    });
    api.server().list_vector_indices(|_, then| {
        then.into_inner().status(200).json_body(json!([{
            "id": "5d0e9d43-0f1c-4d1e-9e3c-0a1b2c3d4e5f", "name": "docs", "region": "us-east-1",
            "similarity_function": "DOT_PRODUCT", "type": "fixed", "dimension_count": 768,
        }]));
    });
    let create_db = api.server().create_database(|when, then| {
        when.into_inner().json_body(json!({
            "name": "copy", "platform": "aws", "primary_region": "eu-west-1",
        }));
        then.into_inner().status(200).json_body(json!({
            "database_id": "1b9a7a8e-6a0c-4c35-9d5b-2f0f3f8f1a11", "database_name": "copy",
            "state": "active",
        }));
    });
    let create_index = api.server().create_vector_index(|when, then| {
        when.into_inner().json_body(json!({
            "name": "docs-copy", "region": "us-east-1", "similarity_function": "DOT_PRODUCT",
            "type": "fixed", "dimension_count": 768,
        }));
        then.into_inner().status(200).json_body(json!({
            "id": "6d0e9d43-0f1c-4d1e-9e3c-0a1b2c3d4e5f", "name": "docs-copy", "region": "us-east-1",
        }));
    });
    let client = api.client().unwrap();
    let db = client
        .api()
        .get_database()
        .id("db-1")
        .send()
        .await
        .unwrap()
        .into_inner();
    let primary: types::PrimaryRegion = db.primary_region.unwrap();
    client
        .api()
        .create_database()
        .body_map(|b| {
            b.name("copy")
                .platform(types::Platform::Aws)
                .primary_region(primary)
        })
        .send()
        .await
        .unwrap();
    let index = client
        .api()
        .list_vector_indices()
        .send()
        .await
        .unwrap()
        .into_inner()
        .remove(0);
    client
        .api()
        .create_vector_index()
        .body_map(|b| {
            b.name("docs-copy")
                .region(index.region)
                .similarity_function(index.similarity_function.unwrap())
                .type_(index.type_.unwrap())
                .dimension_count(768)
        })
        .send()
        .await
        .unwrap();
    create_db.assert_calls(1);
    create_index.assert_calls(1);
    // A value the target does not list is refused by the conversion, with
    // the values it lists.
    let refused = types::PrimaryRegion::try_from(types::Region::SaEast1).unwrap_err();
    assert!(refused.to_string().contains("eu-west-1"), "{refused}");
    // One stats period for both operations that take one.
    let _ = client.api().list_audit_logs().period(types::Period::X7d);
    let _ = client
        .api()
        .get_database_stats()
        .period(types::Period::X30d);
}
