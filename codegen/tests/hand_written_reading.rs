//! The generated API reads as if written by hand: checked on the whole
//! source the build generates from the fixture shaped like the full
//! Upstash API, item by item.

use std::path::Path;

use upstash_api_codegen::{SdkSource, Spec};

fn generated() -> syn::File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/upstash-like.yml");
    let source = SdkSource::from_spec(&Spec::from_file(&path).unwrap()).unwrap();
    syn::parse_file(&source.client).unwrap()
}

fn module<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, i)| i.as_slice()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no module {name}"))
}

fn docs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn must_use(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("must_use") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

/// Each setter's path (`Owner::name`) and docs.
type Setters = Vec<(String, String)>;

/// Every builder struct of `items` with its `#[must_use]` message, and
/// every setter (a `pub fn` of an inherent impl but `new`/`send`) with
/// its docs.
fn builders(items: &[syn::Item]) -> (Vec<(String, Option<String>)>, Setters) {
    let mut structs = Vec::new();
    let mut setters = Vec::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => structs.push((s.ident.to_string(), must_use(&s.attrs))),
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let ty = &block.self_ty;
                let owner = quote::quote!(#ty).to_string();
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member
                        && matches!(f.vis, syn::Visibility::Public(_))
                        && f.sig.ident != "new"
                        && f.sig.ident != "send"
                    {
                        setters.push((format!("{owner}::{}", f.sig.ident), docs(&f.attrs)));
                    }
                }
            }
            _ => {}
        }
    }
    (structs, setters)
}

#[test]
fn every_builder_is_must_use_and_every_setter_says_whether_it_is_required() {
    let file = generated();
    let operations = module(&file.items, "builder");
    let types = module(module(&file.items, "types"), "builder");
    for (items, expected, count) in [
        (
            operations,
            "an operation builder does nothing until `.send().await` is called",
            20,
        ),
        (
            types,
            "a type builder does nothing until it is converted with `try_into()` (or passed to \
             an operation's `.body(..)`)",
            16,
        ),
    ] {
        let (structs, setters) = builders(items);
        assert_eq!(structs.len(), count, "{structs:?}");
        for (name, message) in &structs {
            assert_eq!(message.as_deref(), Some(expected), "{name}");
        }
        assert!(setters.len() > count, "{setters:?}");
        for (setter, doc) in &setters {
            let says = ["Required", "Optional", "Sets fields of the request body"];
            assert!(says.iter().any(|s| doc.contains(s)), "{setter}: {doc:?}");
        }
    }
    let (_, setters) = builders(operations);
    let doc = |name: &str| &setters.iter().find(|(s, _)| s.ends_with(name)).unwrap().1;
    assert_eq!(
        doc("GetDatabase < 'a >::id"),
        "The ID of the Redis database\n\nRequired: the path parameter `id`."
    );
    assert!(
        doc("GetDatabaseStats < 'a >::period").ends_with("Optional: the query parameter `period`."),
        "{setters:?}"
    );
    let (_, setters) = builders(types);
    let budget = &setters
        .iter()
        .find(|(s, _)| s == "CreateDatabaseRequest::budget")
        .unwrap()
        .1;
    assert!(
        budget.starts_with(
            "Monthly budget in cents, at most &lt;limit> (see <https://upstash.com/pricing>)."
        ),
        "{budget}"
    );
    assert!(
        budget.ends_with("Optional: the JSON field `budget`."),
        "{budget}"
    );
}

#[test]
fn every_enum_variant_names_its_wire_value() {
    let file = generated();
    let mut variants = 0;
    for module_name in ["types", "open_enums"] {
        for item in module(&file.items, module_name) {
            let syn::Item::Enum(e) = item else { continue };
            for variant in &e.variants {
                if !matches!(variant.fields, syn::Fields::Unit) {
                    continue;
                }
                variants += 1;
                let doc = docs(&variant.attrs);
                assert!(
                    doc.lines()
                        .last()
                        .is_some_and(|l| l.starts_with("`\"") && l.ends_with("\"`")),
                    "{}::{}: {doc:?}",
                    e.ident,
                    variant.ident
                );
            }
        }
    }
    assert!(variants > 20, "{variants}");
    let text = prettyplease::unparse(&file);
    assert!(
        text.contains("///`\"us-east-1\"`\n        UsEast1,"),
        "{text}"
    );
    assert!(
        text.contains("///`\"1h\"`\n        #[serde(rename = \"1h\")]"),
        "{text}"
    );
}
