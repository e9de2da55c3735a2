//! The catalogue of change rules: a stable kebab-case id and a severity each.
//!
//! Rule ids are part of the JSON output's contract: they are never renamed,
//! only added. Rules whose meaning depends on the direction of data come in
//! `request-*` and `response-*` pairs, because narrowing what a request
//! accepts breaks clients while narrowing what a response contains does not,
//! and the reverse for widening.

use std::fmt;

/// How a change affects existing users of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// An existing client's request may now be rejected, or its response no
    /// longer parses.
    Breaking,
    /// The wire stays compatible, but Rust code written against the
    /// regenerated SDK stops compiling (or a call that worked now fails).
    SdkBreaking,
    /// A compatible change: an addition or a relaxation.
    NonBreaking,
    /// Documentation only: descriptions, summaries, examples, versions.
    Docs,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 4] = [
        Severity::Breaking,
        Severity::SdkBreaking,
        Severity::NonBreaking,
        Severity::Docs,
    ];

    /// The kebab-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::SdkBreaking => "sdk-breaking",
            Severity::NonBreaking => "non-breaking",
            Severity::Docs => "docs",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a schema is read as part of a request or of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Data the client sends: narrowing it breaks.
    Request,
    /// Data the client receives: widening it breaks.
    Response,
}

macro_rules! rules {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $id:literal, $severity:ident; )*) => {
        /// A kind of change the diff reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( $(#[doc = $doc])+ $variant, )*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable kebab-case id.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            /// The severity the rule carries unless the SDK analysis raises it.
            pub fn severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// What the rule means, in one line.
            pub fn description(self) -> &'static str {
                match self { $(Rule::$variant => concat!($($doc),+).trim_ascii(),)* }
            }
        }
    };
}

rules! {
    /// A new operation (method + path).
    OperationAdded = "operation-added", NonBreaking;
    /// An operation is gone: calls to it fail.
    OperationRemoved = "operation-removed", Breaking;
    /// An operation is now marked deprecated.
    OperationDeprecated = "operation-deprecated", NonBreaking;
    /// An operation is no longer marked deprecated.
    OperationUndeprecated = "operation-undeprecated", NonBreaking;
    /// The operationId changed: the generated method is renamed.
    OperationIdChanged = "operation-id-changed", SdkBreaking;
    /// A path parameter was renamed: same URL, renamed builder method.
    PathParameterRenamed = "path-parameter-renamed", SdkBreaking;
    /// A new required parameter: existing requests lack it.
    RequestRequiredParameterAdded = "request-required-parameter-added", Breaking;
    /// A new optional parameter.
    RequestOptionalParameterAdded = "request-optional-parameter-added", NonBreaking;
    /// A parameter is gone: the server ignores it and the builder loses it.
    RequestParameterRemoved = "request-parameter-removed", SdkBreaking;
    /// A query, header or cookie parameter was renamed: the old name is no longer read.
    RequestParameterRenamed = "request-parameter-renamed", Breaking;
    /// A parameter must now be sent.
    RequestParameterBecameRequired = "request-parameter-became-required", Breaking;
    /// A parameter may now be left out.
    RequestParameterBecameOptional = "request-parameter-became-optional", NonBreaking;
    /// A parameter moved between path, query, header and cookie.
    RequestParameterMoved = "request-parameter-moved", Breaking;
    /// A parameter is now marked deprecated.
    RequestParameterDeprecated = "request-parameter-deprecated", NonBreaking;
    /// An optional parameter's default changed, appeared or went away: clients that leave it out now get other behaviour.
    RequestParameterDefaultChanged = "request-parameter-default-changed", Breaking;
    /// A new required request body: existing requests lack it.
    RequestRequiredBodyAdded = "request-required-body-added", Breaking;
    /// A new optional request body.
    RequestOptionalBodyAdded = "request-optional-body-added", NonBreaking;
    /// The request body is gone: a server that no longer reads it may refuse requests that still send it.
    RequestBodyRemoved = "request-body-removed", Breaking;
    /// The request body must now be sent.
    RequestBodyBecameRequired = "request-body-became-required", Breaking;
    /// The request body may now be left out.
    RequestBodyBecameOptional = "request-body-became-optional", NonBreaking;
    /// The request body accepts a new media type.
    RequestMediaTypeAdded = "request-media-type-added", NonBreaking;
    /// The request body no longer accepts a media type.
    RequestMediaTypeRemoved = "request-media-type-removed", Breaking;
    /// A new 2xx status: a response clients do not expect.
    ResponseSuccessStatusAdded = "response-success-status-added", Breaking;
    /// A new non-2xx (or default) status.
    ResponseErrorStatusAdded = "response-error-status-added", NonBreaking;
    /// A status is no longer returned.
    ResponseStatusRemoved = "response-status-removed", NonBreaking;
    /// A response offers a new media type (clients choose with Accept).
    ResponseMediaTypeAdded = "response-media-type-added", NonBreaking;
    /// A response no longer offers a media type.
    ResponseMediaTypeRemoved = "response-media-type-removed", Breaking;
    /// A response declares a new header.
    ResponseHeaderAdded = "response-header-added", NonBreaking;
    /// A header clients could rely on (it was required) is no longer sent.
    ResponseRequiredHeaderRemoved = "response-required-header-removed", Breaking;
    /// An optional response header is no longer declared: clients already cope with its absence.
    ResponseOptionalHeaderRemoved = "response-optional-header-removed", NonBreaking;
    /// A response header may now be absent: clients that read it unconditionally fail.
    ResponseHeaderBecameOptional = "response-header-became-optional", Breaking;
    /// A response header is now always sent.
    ResponseHeaderBecameRequired = "response-header-became-required", NonBreaking;
    /// A request property that must now be sent.
    RequestRequiredPropertyAdded = "request-required-property-added", Breaking;
    /// A new optional request property.
    RequestOptionalPropertyAdded = "request-optional-property-added", NonBreaking;
    /// A request property is gone (or became readOnly).
    RequestPropertyRemoved = "request-property-removed", SdkBreaking;
    /// A new response property.
    ResponsePropertyAdded = "response-property-added", NonBreaking;
    /// A response property clients relied on (it was required) is gone.
    ResponseRequiredPropertyRemoved = "response-required-property-removed", Breaking;
    /// An optional response property is gone.
    ResponseOptionalPropertyRemoved = "response-optional-property-removed", SdkBreaking;
    /// A request property must now be sent.
    RequestPropertyBecameRequired = "request-property-became-required", Breaking;
    /// A request property may now be left out.
    RequestPropertyBecameOptional = "request-property-became-optional", NonBreaking;
    /// A response property may now be absent.
    ResponsePropertyBecameOptional = "response-property-became-optional", Breaking;
    /// A response property is now always present.
    ResponsePropertyBecameRequired = "response-property-became-required", NonBreaking;
    /// A property is now marked deprecated.
    PropertyDeprecated = "property-deprecated", NonBreaking;
    /// The type of request data changed.
    RequestTypeChanged = "request-type-changed", Breaking;
    /// The type of request data widened (integer to number; to string in a parameter, which is text on the wire): every old value is still accepted.
    RequestTypeWidened = "request-type-widened", NonBreaking;
    /// The type of response data changed.
    ResponseTypeChanged = "response-type-changed", Breaking;
    /// The format of request data changed.
    RequestFormatChanged = "request-format-changed", Breaking;
    /// The format of request data widened (int32 to int64, float to double, date to date-time, or dropped): every old value is still accepted.
    RequestFormatWidened = "request-format-widened", NonBreaking;
    /// The format of response data changed.
    ResponseFormatChanged = "response-format-changed", Breaking;
    /// A request enum accepts a new value.
    RequestEnumValueAdded = "request-enum-value-added", NonBreaking;
    /// A request enum no longer accepts a value.
    RequestEnumValueRemoved = "request-enum-value-removed", Breaking;
    /// A response enum may contain a new value.
    ResponseEnumValueAdded = "response-enum-value-added", Breaking;
    /// A response enum no longer contains a value.
    ResponseEnumValueRemoved = "response-enum-value-removed", NonBreaking;
    /// A request `x-extensible-enum` lists a new value: more requests are valid.
    RequestExtensibleEnumValueAdded = "request-x-extensible-enum-value-added", NonBreaking;
    /// A request `x-extensible-enum` no longer lists a value: requests sending it may be refused.
    RequestExtensibleEnumValueRemoved = "request-x-extensible-enum-value-removed", Breaking;
    /// A response `x-extensible-enum` lists a new value: clients are bound to accept values they do not know.
    ResponseExtensibleEnumValueAdded = "response-x-extensible-enum-value-added", NonBreaking;
    /// A response `x-extensible-enum` no longer lists a value.
    ResponseExtensibleEnumValueRemoved = "response-x-extensible-enum-value-removed", NonBreaking;
    /// Request data may now be null.
    RequestBecameNullable = "request-became-nullable", NonBreaking;
    /// Request data may no longer be null.
    RequestBecameNotNullable = "request-became-not-nullable", Breaking;
    /// Response data may now be null.
    ResponseBecameNullable = "response-became-nullable", Breaking;
    /// Response data is no longer null.
    ResponseBecameNotNullable = "response-became-not-nullable", NonBreaking;
    /// A request constraint (min/max, lengths, pattern, items, enum) got stricter or was newly set: requests beyond it, valid before, are refused. (A newly set bound or pattern is only a warning in oasdiff; an edited pattern counts as stricter.)
    RequestConstraintTightened = "request-constraint-tightened", Breaking;
    /// A request constraint got looser.
    RequestConstraintLoosened = "request-constraint-loosened", NonBreaking;
    /// A response constraint got stricter.
    ResponseConstraintTightened = "response-constraint-tightened", NonBreaking;
    /// A response constraint got looser: values clients never saw may appear.
    ResponseConstraintLoosened = "response-constraint-loosened", Breaking;
    /// A request object accepts fewer extra properties.
    RequestAdditionalPropertiesNarrowed = "request-additional-properties-narrowed", Breaking;
    /// A request object accepts more extra properties.
    RequestAdditionalPropertiesWidened = "request-additional-properties-widened", NonBreaking;
    /// A response object may contain fewer extra properties.
    ResponseAdditionalPropertiesNarrowed = "response-additional-properties-narrowed", NonBreaking;
    /// A response object may contain more extra properties.
    ResponseAdditionalPropertiesWidened = "response-additional-properties-widened", Breaking;
    /// A request oneOf/anyOf accepts a new alternative.
    RequestVariantAdded = "request-variant-added", NonBreaking;
    /// A request oneOf/anyOf no longer accepts an alternative.
    RequestVariantRemoved = "request-variant-removed", Breaking;
    /// A response oneOf/anyOf may contain a new alternative.
    ResponseVariantAdded = "response-variant-added", Breaking;
    /// A response oneOf/anyOf no longer contains an alternative.
    ResponseVariantRemoved = "response-variant-removed", NonBreaking;
    /// A request schema is now a choice of alternatives none of which is the old schema: requests of the old shape may match none, or (oneOf) more than one.
    RequestWrappedInVariants = "request-wrapped-in-variants", Breaking;
    /// A request choice of alternatives became one schema: requests of the other alternatives are refused.
    RequestUnwrappedFromVariants = "request-unwrapped-from-variants", Breaking;
    /// A response schema became a choice of alternatives: responses may take shapes clients cannot parse.
    ResponseWrappedInVariants = "response-wrapped-in-variants", Breaking;
    /// A response choice of alternatives became one schema (compared with its closest alternative).
    ResponseUnwrappedFromVariants = "response-unwrapped-from-variants", NonBreaking;
    /// A request schema must also match a new allOf member that adds to it: requests that do not are refused.
    RequestAllOfAdded = "request-all-of-added", Breaking;
    /// A request schema no longer has to match an allOf member.
    RequestAllOfRemoved = "request-all-of-removed", NonBreaking;
    /// A response schema also matches a new allOf member: it only promises more.
    ResponseAllOfAdded = "response-all-of-added", NonBreaking;
    /// A response no longer matches an allOf member: what that member promised clients may be missing.
    ResponseAllOfRemoved = "response-all-of-removed", Breaking;
    /// The discriminator reads another property: tagged values clients send or read carry the old one. (oasdiff: info.)
    DiscriminatorPropertyChanged = "discriminator-property-changed", Breaking;
    /// A discriminator value now names another schema: values tagged with it change shape. (oasdiff: info.)
    DiscriminatorMappingChanged = "discriminator-mapping-changed", Breaking;
    /// A request discriminator accepts a new tag value.
    RequestDiscriminatorMappingAdded = "request-discriminator-mapping-added", NonBreaking;
    /// A request discriminator no longer maps a tag value: requests tagged with it are refused. (oasdiff: info.)
    RequestDiscriminatorMappingRemoved = "request-discriminator-mapping-removed", Breaking;
    /// A response discriminator may carry a tag value clients cannot dispatch. (oasdiff: info.)
    ResponseDiscriminatorMappingAdded = "response-discriminator-mapping-added", Breaking;
    /// A response discriminator no longer carries a tag value.
    ResponseDiscriminatorMappingRemoved = "response-discriminator-mapping-removed", NonBreaking;
    /// An operation now needs credentials it did not need.
    SecurityRequirementAdded = "security-requirement-added", Breaking;
    /// An operation no longer needs credentials.
    SecurityRequirementRemoved = "security-requirement-removed", NonBreaking;
    /// An operation accepts a new way to authenticate.
    SecurityAlternativeAdded = "security-alternative-added", NonBreaking;
    /// An operation no longer accepts a way to authenticate.
    SecurityAlternativeRemoved = "security-alternative-removed", Breaking;
    /// A new security scheme.
    SecuritySchemeAdded = "security-scheme-added", NonBreaking;
    /// A security scheme is gone.
    SecuritySchemeRemoved = "security-scheme-removed", Breaking;
    /// A security scheme no operation used is gone: no request changes.
    UnusedSecuritySchemeRemoved = "unused-security-scheme-removed", NonBreaking;
    /// A security scheme works differently (type, scheme, location, flows).
    SecuritySchemeChanged = "security-scheme-changed", Breaking;
    /// A new server URL.
    ServerAdded = "server-added", NonBreaking;
    /// A server URL is gone.
    ServerRemoved = "server-removed", Breaking;
    /// An operation (by its own or its path's `servers`) can be called at a new URL.
    OperationServerAdded = "operation-server-added", NonBreaking;
    /// An operation (by its own or its path's `servers`) can no longer be called at a URL: clients using it fail.
    OperationServerRemoved = "operation-server-removed", Breaking;
    /// An operation's requests, with the credentials of their `authorization: Basic` header, now go to another origin (scheme, host or port of the server the build picks: the operation's own, else its path's, else the document's first); `breaking`, the gate's strongest level, so `--fail-on breaking` stops on it and `--strict-wire` asks for a major bump: credentials sent to a host nobody vetted cannot be taken back, so the new origin is accepted on purpose, never in passing. Plain `http://` to a host other than loopback is named: the credentials would travel in clear text.
    CredentialsDestinationChanged = "credentials-destination-changed", Breaking;
    /// The operation has a new callback: the server calls the client at a new URL.
    CallbackAdded = "callback-added", NonBreaking;
    /// A callback is gone: clients waiting for those calls never receive them.
    CallbackRemoved = "callback-removed", Breaking;
    /// A response has a new link (design-time: no request or response changes).
    ResponseLinkAdded = "response-link-added", NonBreaking;
    /// A response link is gone (design-time: no request or response changes).
    ResponseLinkRemoved = "response-link-removed", NonBreaking;
    /// A response link leads elsewhere or passes other values (design-time).
    ResponseLinkChanged = "response-link-changed", NonBreaking;
    /// `info.version` changed.
    InfoVersionChanged = "info-version-changed", Docs;
    /// Descriptions, summaries, titles or examples changed (collapsed per endpoint).
    DocumentationChanged = "documentation-changed", Docs;
    /// The generated Rust API changed in a way no single spec change explains (`sdk-breaking` when it breaks Rust code; an addition, such as a type for a component no operation uses, is reported `non-breaking`).
    RustApiChanged = "rust-api-changed", SdkBreaking;
}

impl Rule {
    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The rule that describes the same change seen with the sides swapped,
    /// for the rules that have exactly one.
    pub fn inverse(self) -> Option<Rule> {
        use Rule::*;
        Some(match self {
            OperationAdded => OperationRemoved,
            OperationRemoved => OperationAdded,
            OperationDeprecated => OperationUndeprecated,
            OperationUndeprecated => OperationDeprecated,
            OperationIdChanged => OperationIdChanged,
            PathParameterRenamed => PathParameterRenamed,
            RequestParameterBecameRequired => RequestParameterBecameOptional,
            RequestParameterBecameOptional => RequestParameterBecameRequired,
            RequestPropertyBecameRequired => RequestPropertyBecameOptional,
            RequestPropertyBecameOptional => RequestPropertyBecameRequired,
            ResponsePropertyBecameRequired => ResponsePropertyBecameOptional,
            ResponsePropertyBecameOptional => ResponsePropertyBecameRequired,
            RequestTypeWidened => RequestTypeChanged,
            RequestFormatWidened => RequestFormatChanged,
            ResponseTypeChanged => ResponseTypeChanged,
            RequestEnumValueAdded => RequestEnumValueRemoved,
            RequestEnumValueRemoved => RequestEnumValueAdded,
            ResponseEnumValueAdded => ResponseEnumValueRemoved,
            ResponseEnumValueRemoved => ResponseEnumValueAdded,
            RequestExtensibleEnumValueAdded => RequestExtensibleEnumValueRemoved,
            RequestExtensibleEnumValueRemoved => RequestExtensibleEnumValueAdded,
            ResponseExtensibleEnumValueAdded => ResponseExtensibleEnumValueRemoved,
            ResponseExtensibleEnumValueRemoved => ResponseExtensibleEnumValueAdded,
            RequestBecameNullable => RequestBecameNotNullable,
            RequestBecameNotNullable => RequestBecameNullable,
            ResponseBecameNullable => ResponseBecameNotNullable,
            ResponseBecameNotNullable => ResponseBecameNullable,
            RequestVariantAdded => RequestVariantRemoved,
            RequestVariantRemoved => RequestVariantAdded,
            ResponseVariantAdded => ResponseVariantRemoved,
            ResponseVariantRemoved => ResponseVariantAdded,
            RequestWrappedInVariants => RequestUnwrappedFromVariants,
            RequestUnwrappedFromVariants => RequestWrappedInVariants,
            ResponseWrappedInVariants => ResponseUnwrappedFromVariants,
            ResponseUnwrappedFromVariants => ResponseWrappedInVariants,
            RequestAllOfAdded => RequestAllOfRemoved,
            RequestAllOfRemoved => RequestAllOfAdded,
            ResponseAllOfAdded => ResponseAllOfRemoved,
            ResponseAllOfRemoved => ResponseAllOfAdded,
            ResponseRequiredHeaderRemoved | ResponseOptionalHeaderRemoved => ResponseHeaderAdded,
            ResponseHeaderBecameOptional => ResponseHeaderBecameRequired,
            ResponseHeaderBecameRequired => ResponseHeaderBecameOptional,
            OperationServerAdded => OperationServerRemoved,
            OperationServerRemoved => OperationServerAdded,
            CredentialsDestinationChanged => CredentialsDestinationChanged,
            DiscriminatorPropertyChanged => DiscriminatorPropertyChanged,
            DiscriminatorMappingChanged => DiscriminatorMappingChanged,
            RequestDiscriminatorMappingAdded => RequestDiscriminatorMappingRemoved,
            RequestDiscriminatorMappingRemoved => RequestDiscriminatorMappingAdded,
            ResponseDiscriminatorMappingAdded => ResponseDiscriminatorMappingRemoved,
            ResponseDiscriminatorMappingRemoved => ResponseDiscriminatorMappingAdded,
            CallbackAdded => CallbackRemoved,
            CallbackRemoved => CallbackAdded,
            ResponseLinkAdded => ResponseLinkRemoved,
            ResponseLinkRemoved => ResponseLinkAdded,
            ResponseLinkChanged => ResponseLinkChanged,
            ServerAdded => ServerRemoved,
            ServerRemoved => ServerAdded,
            SecuritySchemeRemoved | UnusedSecuritySchemeRemoved => SecuritySchemeAdded,
            _ => return None,
        })
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
