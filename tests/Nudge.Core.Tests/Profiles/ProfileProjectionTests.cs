using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Nudge.Core.Consent;
using Nudge.Core.Ingestion;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Profiles;

public sealed class ProfileProjectionTests
{
    private static string? Trait(Profile profile, string name) =>
        profile.Traits.TryGetValue(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    // ---- traits -----------------------------------------------------------------------------------------------

    [Fact]
    public void Identify_sets_traits()
    {
        var profile = Some.Profile().After(Some.Identify(new JsonObject { ["first_name"] = "Ada", ["vip"] = true }));

        Assert.Equal(("Ada", "true"), (Trait(profile, "first_name"), Trait(profile, "vip")));
    }

    [Fact]
    public void A_later_identify_overwrites_a_trait()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["plan"] = "free" }),
            Some.Identify(new JsonObject { ["plan"] = "pro" }));

        Assert.Equal("pro", Trait(profile, "plan"));
    }

    [Fact]
    public void A_null_trait_removes_it()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["plan"] = "free" }),
            Some.Identify(new JsonObject { ["plan"] = null }));

        Assert.False(profile.Traits.ContainsKey("plan"));
    }

    [Fact]
    public void Traits_an_identify_leaves_out_keep_their_value()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["first_name"] = "Ada" }),
            Some.Identify(new JsonObject { ["plan"] = "pro" }));

        Assert.Equal("Ada", Trait(profile, "first_name"));
    }

    [Fact]
    public void Track_properties_are_not_traits()
    {
        var profile = Some.Profile().After(Some.Track("Signed Up", new JsonObject { ["plan"] = "pro" }));

        Assert.Empty(profile.Traits);
    }

    [Fact]
    public void The_traits_of_a_group_call_describe_the_group_not_the_person()
    {
        var group = Some.Event(MessageType.Group, body: new JsonObject
        {
            ["groupId"] = "grp_1",
            ["traits"] = new JsonObject { ["name"] = "Initech", ["address"] = new JsonObject { ["city"] = "Austin" } },
        });

        var profile = Some.Profile().After(Some.Identify(new JsonObject { ["name"] = "Ada" }), group);

        Assert.Equal("Ada", Trait(profile, "name"));
        Assert.Null(profile.Location);
    }

    [Fact]
    public void An_email_trait_is_stored_normalized_when_it_was_linked()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["email"] = " Ada@Example.COM " }).Linking(Some.Email("ada@example.com")));

        Assert.Equal("ada@example.com", Trait(profile, "email"));
    }

    [Fact]
    public void An_email_trait_that_was_not_linked_is_not_stored()
    {
        var profile = Some.Profile().After(Some.Identify(new JsonObject { ["email"] = "ada@example.com" }));

        Assert.Null(Trait(profile, "email"));
    }

    [Fact]
    public void An_email_trait_that_was_refused_is_not_stored()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["email"] = "victim@example.com" }).FromBrowser().Refusing(Some.Email("victim@example.com")));

        Assert.Null(Trait(profile, "email"));
    }

    [Fact]
    public void An_email_trait_already_linked_earlier_is_stored()
    {
        var profile = Some.Profile().After(
            Some.Page().Linking(Some.Email("ada@example.com")),
            Some.Identify(new JsonObject { ["email"] = "ADA@example.com" }));

        Assert.Equal("ada@example.com", Trait(profile, "email"));
    }

    [Fact]
    public void An_email_trait_is_the_address_the_event_named_when_the_profile_has_several()
    {
        var profile = Some.Profile().After(
            Some.Page().Linking(Some.Email("ada@example.com"), Some.Email("ada@work.example")),
            Some.Identify(new JsonObject { ["email"] = "ada@work.example" }));

        Assert.Equal("ada@work.example", Trait(profile, "email"));
    }

    [Fact]
    public void An_invalid_email_trait_does_not_replace_the_stored_one()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["email"] = "ada@example.com" }).Linking(Some.Email("ada@example.com")),
            Some.Identify(new JsonObject { ["email"] = "not an email" }));

        Assert.Equal("ada@example.com", Trait(profile, "email"));
    }

    [Fact]
    public void A_phone_trait_is_stored_in_E164_when_it_was_linked()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["phone"] = "01512 3456789" }).Linking(Some.Phone("+4915123456789")));

        Assert.Equal("+4915123456789", Trait(profile, "phone"));
    }

    [Fact]
    public void Linked_ids_become_identities_of_the_profile()
    {
        var profile = Some.Profile().After(Some.Page().Linking(Some.UserId(), Some.Email()));

        Assert.Equal([Some.UserId(), Some.Email()], profile.Identities);
        Assert.Equal(("user_1", "ada@example.com"), (profile.UserId, profile.Email));
    }

    [Fact]
    public void A_merge_is_recorded_with_the_event_that_made_it()
    {
        var identify = Some.Identify([]).Absorbing("prf_anon").WithSequence(41).At(Some.Start.AddHours(1));

        var merge = Assert.Single(Some.Profile().After(identify).Merges);

        Assert.Equal(new ProfileMerge("prf_anon", Some.Start.AddHours(1), 41), merge);
    }

    // ---- consent ----------------------------------------------------------------------------------------------

    [Fact]
    public void Consent_from_a_server_key_applies()
    {
        var profile = Some.Profile().After(Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = true, ["sms"] = false } }));

        Assert.Equal([new("email", true), new("sms", false)], profile.Consent);
    }

    [Fact]
    public void Consent_from_a_server_key_is_audited()
    {
        var identify = Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = true } }).WithMessageId("msg_consent");

        var change = Assert.Single(Some.Profile().After(identify).ConsentHistory);

        Assert.Equal(new ConsentChange("email", true, Some.Start, "msg_consent", "server key", Applied: true), change);
    }

    [Fact]
    public void Consent_from_a_browser_key_is_refused()
    {
        var profile = Some.Profile().After(
            Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = false } }),
            Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = true } }).FromBrowser());

        Assert.False(profile.Consent["email"]);
    }

    [Fact]
    public void Consent_from_a_browser_key_is_audited_as_refused()
    {
        var identify = Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["sms"] = true } }).FromBrowser().WithMessageId("msg_b");

        var profile = Some.Profile().After(identify);

        Assert.Equal(new ConsentChange("sms", true, Some.Start, "msg_b", "browser key", Applied: false), Assert.Single(profile.ConsentHistory));
        Assert.Empty(profile.Consent);
    }

    [Theory]
    [InlineData("subscribed", true)]
    [InlineData("granted", true)]
    [InlineData("unsubscribed", false)]
    [InlineData("denied", false)]
    public void Consent_may_be_given_as_a_word(string word, bool granted) =>
        Assert.Equal(granted, Some.Profile().After(Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = word } })).Consent["email"]);

    [Fact]
    public void Consent_channels_are_lower_cased() =>
        Assert.True(Some.Profile().After(Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["SMS"] = true } })).Consent["sms"]);

    [Fact]
    public void A_consent_value_that_is_not_understood_changes_nothing()
    {
        var profile = Some.Profile().After(Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = "maybe" } }));

        Assert.Empty(profile.Consent);
        Assert.Empty(profile.ConsentHistory);
    }

    [Fact]
    public void Consent_is_not_stored_as_a_trait() =>
        Assert.Empty(Some.Profile().After(Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = true } })).Traits);

    // ---- Consent Changed events (ADR 0009) --------------------------------------------------------------------

    private static LoggedEventBuilder ConsentChanged(string channel, string status, JsonObject? more = null)
    {
        var properties = new JsonObject { ["channel"] = channel, ["status"] = status };
        foreach (var (key, value) in more ?? [])
            properties[key] = value?.DeepClone();
        return Some.Track(ConsentChangedEvent.Name, properties);
    }

    [Fact]
    public void A_trusted_consent_changed_event_applies_with_its_full_audit_entry()
    {
        var changed = ConsentChanged("email", "subscribed", new JsonObject
        {
            ["source"] = "double opt-in",
            ["wording"] = "Yes, send me the newsletter.",
            ["ip"] = "203.0.113.7",
            ["user_agent"] = "Mozilla/5.0",
        }).WithMessageId("msg_doi");

        var profile = Some.Profile().After(changed);

        Assert.True(profile.Consent["email"]);
        Assert.Equal(
            new ConsentChange("email", true, Some.Start, "msg_doi", "double opt-in", Applied: true)
            {
                Ip = "203.0.113.7",
                UserAgent = "Mozilla/5.0",
                Wording = "Yes, send me the newsletter.",
            },
            Assert.Single(profile.ConsentHistory));
    }

    [Fact]
    public void Consent_changed_written_by_nudge_itself_applies() =>
        Assert.False(Some.Profile().After(ConsentChanged("sms", "unsubscribed").SentWith(KeyKind.Internal)).Consent["sms"]);

    [Fact]
    public void Consent_changed_from_a_browser_key_is_recorded_as_refused_and_not_applied()
    {
        var profile = Some.Profile().After(
            ConsentChanged("email", "unsubscribed"),
            ConsentChanged("email", "subscribed", new JsonObject { ["source"] = "double opt-in" }).FromBrowser());

        Assert.False(profile.Consent["email"]);
        var refused = profile.ConsentHistory[^1];
        Assert.Equal((false, "browser key", "subscribed"), (refused.Applied, refused.Source, refused.Status));
    }

    [Fact]
    public void Consent_changed_without_a_source_names_its_sender() =>
        Assert.Equal("server key", Assert.Single(Some.Profile().After(ConsentChanged("push", "subscribed")).ConsentHistory).Source);

    [Fact]
    public void Consent_changed_takes_ip_and_user_agent_from_the_context_when_its_properties_lack_them()
    {
        var changed = ConsentChanged("email", "subscribed").WithContext(new JsonObject { ["ip"] = "198.51.100.2", ["userAgent"] = "Firefox" });

        var change = Assert.Single(Some.Profile().After(changed).ConsentHistory);

        Assert.Equal(("198.51.100.2", "Firefox"), (change.Ip, change.UserAgent));
    }

    [Fact]
    public void A_consent_changed_event_with_an_unknown_status_changes_nothing()
    {
        var profile = Some.Profile().After(ConsentChanged("email", "maybe"));

        Assert.Empty(profile.Consent);
        Assert.Empty(profile.ConsentHistory);
    }

    [Fact]
    public void An_unsubscribe_after_a_subscribe_wins_and_both_stay_in_the_trail()
    {
        var profile = Some.Profile().After(
            ConsentChanged("email", "subscribed").At(Some.Start),
            ConsentChanged("email", "unsubscribed", new JsonObject { ["source"] = "one-click unsubscribe" }).At(Some.Start.AddDays(3)));

        Assert.False(profile.Consent["email"]);
        Assert.Equal(["subscribed", "unsubscribed"], profile.ConsentHistory.Select(c => c.Status));
        Assert.Equal(ConsentStatus.Unsubscribed, ConsentStates.Of(profile, "email"));
        Assert.Equal("one-click unsubscribe", ConsentStates.LastApplied(profile, "email")!.Source);
    }

    [Fact]
    public void A_profile_stored_before_the_consent_audit_fields_existed_still_reads()
    {
        const string stored = """
            {"id":"prf_old","workspaceId":"ws_shop","consent":{"email":true},
             "consentHistory":[{"channel":"email","granted":true,"at":"2025-11-02T10:00:00+00:00","messageId":"m1","source":"server key","applied":true}]}
            """;

        var profile = JsonSerializer.Deserialize<Profile>(stored, StoredJson)!;

        var change = Assert.Single(profile.ConsentHistory);
        Assert.Equal(("server key", "subscribed", null, null, null), (change.Source, change.Status, change.Ip, change.UserAgent, change.Wording));
        Assert.Equal(ConsentStatus.Subscribed, ConsentStates.Of(profile, "email"));
    }

    [Fact]
    public void A_profile_with_the_new_audit_fields_reads_back_as_it_was_written()
    {
        var profile = Some.Profile().After(ConsentChanged("email", "subscribed", new JsonObject { ["wording"] = "Yes", ["ip"] = "203.0.113.7" }));

        var read = JsonSerializer.Deserialize<Profile>(JsonSerializer.Serialize(profile, StoredJson), StoredJson)!;

        Assert.Equal(profile.ConsentHistory, read.ConsentHistory);
    }

    /// <summary>The settings Nudge stores profiles with (StorageJson): web defaults, enums as strings.</summary>
    private static readonly JsonSerializerOptions StoredJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    // ---- time zone and location -----------------------------------------------------------------------------

    [Fact]
    public void The_time_zone_comes_from_the_context() =>
        Assert.Equal("Europe/Berlin", Some.Profile().After(Some.Page().WithContext(new JsonObject { ["timezone"] = "Europe/Berlin" })).TimeZone);

    [Fact]
    public void The_time_zone_may_come_from_identify_traits() =>
        Assert.Equal("America/New_York", Some.Profile().After(Some.Identify(new JsonObject { ["timezone"] = "America/New_York" })).TimeZone);

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("CET+1")]
    [InlineData("")]
    [InlineData("W. Europe Standard Time")]
    [InlineData("../../etc/passwd")]
    public void A_time_zone_that_is_not_a_valid_IANA_id_is_ignored(string zone)
    {
        var profile = Some.Profile().After(
            Some.Page().WithContext(new JsonObject { ["timezone"] = "Europe/Berlin" }),
            Some.Page().WithContext(new JsonObject { ["timezone"] = zone }));

        Assert.Equal("Europe/Berlin", profile.TimeZone);
    }

    [Fact]
    public void The_location_comes_from_the_address_trait()
    {
        var address = new JsonObject { ["country"] = "DE", ["state"] = "Berlin", ["city"] = "Berlin", ["street"] = "Unter den Linden 1" };

        var profile = Some.Profile().After(Some.Identify(new JsonObject { ["address"] = address }));

        Assert.Equal(new Location("DE", "Berlin", "Berlin", null, null), profile.Location);
    }

    [Fact]
    public void The_location_comes_from_the_context_location()
    {
        var location = new JsonObject { ["country"] = "FR", ["region"] = "IDF", ["city"] = "Paris", ["latitude"] = 48.85, ["longitude"] = 2.35 };

        var profile = Some.Profile().After(Some.Page().WithContext(new JsonObject { ["location"] = location }));

        Assert.Equal(new Location("FR", "IDF", "Paris", 48.85, 2.35), profile.Location);
    }

    [Fact]
    public void A_partial_context_location_keeps_what_was_known()
    {
        var profile = Some.Profile().After(
            Some.Page().WithContext(new JsonObject { ["location"] = new JsonObject { ["country"] = "FR", ["city"] = "Paris" } }),
            Some.Page().WithContext(new JsonObject { ["location"] = new JsonObject { ["latitude"] = 48.85, ["longitude"] = 2.35 } }));

        Assert.Equal(new Location("FR", null, "Paris", 48.85, 2.35), profile.Location);
    }

    [Fact]
    public void The_address_trait_keeps_the_coordinates_the_context_gave()
    {
        var profile = Some.Profile().After(
            Some.Page().WithContext(new JsonObject { ["location"] = new JsonObject { ["latitude"] = 52.52, ["longitude"] = 13.40 } }),
            Some.Identify(new JsonObject { ["address"] = new JsonObject { ["country"] = "DE", ["city"] = "Berlin" } }));

        Assert.Equal(new Location("DE", null, "Berlin", 52.52, 13.40), profile.Location);
    }

    // ---- computed traits --------------------------------------------------------------------------------------

    [Fact]
    public void First_and_last_seen_span_the_event_times_in_any_order()
    {
        var profile = Some.Profile().After(
            Some.Page().At(Some.Start.AddDays(2)),
            Some.Page().At(Some.Start),
            Some.Page().At(Some.Start.AddDays(1)));

        Assert.Equal((Some.Start, Some.Start.AddDays(2)), (profile.Computed.FirstSeen, profile.Computed.LastSeen));
    }

    [Fact]
    public void Every_event_counts() =>
        Assert.Equal(3, Some.Profile().After(Some.Page(), Some.Identify([]), Some.ProductViewed()).Computed.EventCount);

    [Fact]
    public void Completed_orders_add_up_to_count_revenue_and_average_order_value()
    {
        var computed = Some.Profile().After(
            Some.OrderCompleted("ord_1", 30m),
            Some.OrderCompleted("ord_2", 45.50m)).Computed;

        Assert.Equal((2, 75.50m, 37.75m), (computed.OrderCount, computed.TotalRevenue, computed.AverageOrderValue));
    }

    [Fact]
    public void The_average_order_value_of_no_orders_is_zero() =>
        Assert.Equal(0m, Some.Profile().After(Some.Page()).Computed.AverageOrderValue);

    [Fact]
    public void First_and_last_order_dates_span_the_orders()
    {
        var computed = Some.Profile().After(
            Some.OrderCompleted("ord_2").At(Some.Start.AddDays(10)),
            Some.OrderCompleted("ord_1").At(Some.Start),
            Some.OrderCompleted("ord_3").At(Some.Start.AddDays(4))).Computed;

        Assert.Equal((Some.Start, Some.Start.AddDays(10)), (computed.FirstOrderDate, computed.LastOrderDate));
    }

    [Fact]
    public void The_currency_is_that_of_the_latest_order()
    {
        var computed = Some.Profile().After(
            Some.OrderCompleted("ord_1", currency: "usd").At(Some.Start.AddDays(1)),
            Some.OrderCompleted("ord_2", currency: "EUR").At(Some.Start)).Computed;

        Assert.Equal("USD", computed.Currency);
    }

    [Fact]
    public void A_resent_order_completed_with_the_same_order_id_counts_once()
    {
        var computed = Some.Profile().After(
            Some.OrderCompleted("ord_1", 30m),
            Some.OrderCompleted("ord_1", 30m)).Computed;

        Assert.Equal((1, 30m), (computed.OrderCount, computed.TotalRevenue));
    }

    [Fact]
    public void Orders_without_an_order_id_count_once_per_message()
    {
        var withoutId = () => Some.Track("Order Completed", new JsonObject { ["revenue"] = 10m });

        Assert.Equal(2, Some.Profile().After(withoutId(), withoutId()).Computed.OrderCount);
    }

    [Fact]
    public void A_partial_refund_lowers_the_revenue_and_keeps_the_order()
    {
        var computed = Some.Profile().After(Some.OrderCompleted("ord_1", 100m), Some.OrderRefunded("ord_1", 25m)).Computed;

        Assert.Equal((1, 75m), (computed.OrderCount, computed.TotalRevenue));
    }

    [Fact]
    public void Partial_refunds_add_up_but_never_below_zero()
    {
        var profile = Some.Profile().After(Some.OrderCompleted("ord_1", 100m), Some.OrderRefunded("ord_1", 60m));

        Assert.Equal(40m, profile.Computed.TotalRevenue);
        Assert.Equal(0m, profile.After(Some.OrderRefunded("ord_1", 60m)).Computed.TotalRevenue);
    }

    [Fact]
    public void A_refund_by_products_lowers_the_revenue_by_their_line_totals()
    {
        var refund = Some.Track("Order Refunded", new JsonObject
        {
            ["order_id"] = "ord_1",
            ["products"] = new JsonArray(new JsonObject { ["product_id"] = "sku_1", ["price"] = 10m, ["quantity"] = 2 }),
        });

        Assert.Equal(80m, Some.Profile().After(Some.OrderCompleted("ord_1", 100m), refund).Computed.TotalRevenue);
    }

    [Fact]
    public void A_full_refund_removes_the_order_revenue()
    {
        var computed = Some.Profile().After(
            Some.OrderCompleted("ord_1", 100m),
            Some.OrderCompleted("ord_2", 40m),
            Some.OrderRefunded("ord_1")).Computed;

        Assert.Equal(40m, computed.TotalRevenue);
    }

    [Fact]
    public void A_cancelled_order_no_longer_counts()
    {
        var computed = Some.Profile().After(
            Some.OrderCompleted("ord_1", 100m).At(Some.Start),
            Some.OrderCompleted("ord_2", 40m).At(Some.Start.AddDays(1)),
            Some.OrderCancelled("ord_2")).Computed;

        Assert.Equal((1, 100m, 100m, Some.Start), (computed.OrderCount, computed.TotalRevenue, computed.AverageOrderValue, computed.LastOrderDate));
    }

    [Fact]
    public void A_refund_of_an_unknown_order_changes_nothing()
    {
        var computed = Some.Profile().After(Some.OrderCompleted("ord_1", 100m), Some.OrderRefunded("ord_9", 50m)).Computed;

        Assert.Equal((1, 100m), (computed.OrderCount, computed.TotalRevenue));
    }

    [Fact]
    public void The_last_product_viewed_is_remembered()
    {
        var profile = Some.Profile().After(
            Some.ProductViewed("sku_1", "Linen shirt").At(Some.Start),
            Some.ProductViewed("sku_2", "Wool scarf").At(Some.Start.AddMinutes(1)));

        Assert.Equal(new ProductSeen("sku_2", "Wool scarf", Some.Start.AddMinutes(1)), profile.Computed.LastProductViewed);
    }

    [Fact]
    public void The_last_product_added_is_remembered()
    {
        var profile = Some.Profile().After(Some.ProductViewed("sku_1"), Some.ProductAdded("sku_2", "Wool scarf").At(Some.Start.AddMinutes(2)));

        Assert.Equal(new ProductSeen("sku_2", "Wool scarf", Some.Start.AddMinutes(2)), profile.Computed.LastProductAdded);
    }

    [Fact]
    public void An_older_product_view_logged_late_does_not_replace_the_last_product_viewed()
    {
        // Mobile SDKs flush offline batches late, and imports bring history after live events.
        var profile = Some.Profile().After(
            Some.ProductViewed("sku_new").At(Some.Start),
            Some.ProductViewed("sku_old").At(Some.Start.AddDays(-30)));

        Assert.Equal("sku_new", profile.Computed.LastProductViewed!.ProductId);
    }

    // ---- replay ---------------------------------------------------------------------------------------------------

    [Fact]
    public void Applying_an_event_again_is_a_no_op()
    {
        LoggedEvent order = Some.OrderCompleted("ord_1", 30m);
        var profile = Some.Profile().After(order);

        Assert.Same(profile, ProfileProjection.Apply(profile, order));
    }

    [Fact]
    public void An_event_with_a_sequence_already_applied_is_a_no_op()
    {
        var profile = Some.Profile().After(Some.Page().WithSequence(100));

        Assert.Same(profile, ProfileProjection.Apply(profile, Some.OrderCompleted().WithSequence(99)));
    }

    [Fact]
    public void Sequences_are_tracked_per_profile_id_the_events_were_logged_under()
    {
        var profile = Some.Profile().After(Some.Page().WithSequence(100));

        var after = profile.After(Some.Page().LoggedUnder("prf_anon").WithSequence(50));

        Assert.Equal(2, after.Computed.EventCount);
        Assert.Equal(50, after.AppliedThrough["prf_anon"]);
    }

    [Fact]
    public void Replaying_the_log_gives_the_same_profile()
    {
        LoggedEvent[] log =
        [
            Some.Identify(new JsonObject { ["first_name"] = "Ada", ["consent"] = new JsonObject { ["email"] = true } }).Linking(Some.UserId()),
            Some.ProductViewed(),
            Some.OrderCompleted("ord_1", 30m),
            Some.OrderRefunded("ord_1", 10m),
            Some.Page().WithContext(new JsonObject { ["timezone"] = "Europe/Berlin" }),
        ];
        var profile = Some.Profile().After(log);

        Assert.Same(profile, profile.After(log));
        Assert.Equal(JsonSerializer.Serialize(profile), JsonSerializer.Serialize(Some.Profile().After(log)));
    }

    [Fact]
    public void Replaying_a_refund_does_not_refund_twice()
    {
        LoggedEvent order = Some.OrderCompleted("ord_1", 30m);
        LoggedEvent refund = Some.OrderRefunded("ord_1", 10m);
        var profile = Some.Profile().After(order, refund);

        Assert.Equal(20m, profile.After(refund).Computed.TotalRevenue);
    }

    // ---- absorb ------------------------------------------------------------------------------------------------------

    private static Profile Anonymous() => Some.Profile("prf_anon").After(
        Some.Page().LoggedUnder("prf_anon").At(Some.Start.AddDays(-5)).Linking(Some.AnonymousId()),
        Some.ProductViewed("sku_anon").LoggedUnder("prf_anon").At(Some.Start.AddDays(-4)),
        Some.OrderCompleted("ord_anon", 20m).LoggedUnder("prf_anon").At(Some.Start.AddDays(-4)),
        Some.Identify(new JsonObject { ["first_name"] = "Anonymous", ["shoe_size"] = 38 }).LoggedUnder("prf_anon").At(Some.Start.AddDays(-4)));

    private static Profile Known() => Some.Profile().After(
        Some.Identify(new JsonObject { ["first_name"] = "Ada" }).Linking(Some.UserId(), Some.Email()),
        Some.OrderCompleted("ord_1", 100m).At(Some.Start.AddDays(1)),
        Some.Page().At(Some.Start.AddDays(2)));

    [Fact]
    public void Absorb_combines_the_orders_and_their_revenue()
    {
        var merged = ProfileProjection.Absorb(Known(), Anonymous());

        Assert.Equal(["ord_1", "ord_anon"], merged.Orders.Keys);
        Assert.Equal((2, 120m, Some.Start.AddDays(-4)), (merged.Computed.OrderCount, merged.Computed.TotalRevenue, merged.Computed.FirstOrderDate));
    }

    [Fact]
    public void Absorb_counts_an_order_both_profiles_know_once()
    {
        var absorbed = Some.Profile("prf_anon").After(Some.OrderCompleted("ord_1", 100m).LoggedUnder("prf_anon"));

        var merged = ProfileProjection.Absorb(Known(), absorbed);

        Assert.Equal((1, 100m), (merged.Computed.OrderCount, merged.Computed.TotalRevenue));
    }

    [Fact]
    public void Absorb_spans_first_and_last_seen_of_both_and_adds_their_event_counts()
    {
        var computed = ProfileProjection.Absorb(Known(), Anonymous()).Computed;

        Assert.Equal((Some.Start.AddDays(-5), Some.Start.AddDays(2), 7L), (computed.FirstSeen, computed.LastSeen, computed.EventCount));
    }

    [Fact]
    public void Absorb_combines_the_identities()
    {
        var merged = ProfileProjection.Absorb(Known(), Anonymous());

        Assert.Equal([Some.UserId(), Some.Email(), Some.AnonymousId()], merged.Identities);
    }

    [Fact]
    public void Absorb_keeps_the_survivors_traits_on_conflicts_and_adds_the_others()
    {
        var merged = ProfileProjection.Absorb(Known(), Anonymous());

        Assert.Equal(("Ada", "38"), (Trait(merged, "first_name"), Trait(merged, "shoe_size")));
    }

    [Fact]
    public void Absorb_keeps_the_latest_product_viewed_of_both() =>
        Assert.Equal("sku_anon", ProfileProjection.Absorb(Known(), Anonymous()).Computed.LastProductViewed!.ProductId);

    [Fact]
    public void Absorb_takes_the_time_zone_and_location_of_the_absorbed_profile_when_the_survivor_has_none()
    {
        var absorbed = Some.Profile("prf_anon").After(Some.Page().LoggedUnder("prf_anon").WithContext(new JsonObject
        {
            ["timezone"] = "Europe/Paris",
            ["location"] = new JsonObject { ["city"] = "Paris" },
        }));

        var merged = ProfileProjection.Absorb(Known(), absorbed);

        Assert.Equal(("Europe/Paris", "Paris"), (merged.TimeZone, merged.Location?.City));
    }

    [Fact]
    public void Absorb_keeps_the_survivors_consent_and_joins_the_audit_trails()
    {
        var survivor = Some.Profile().After(Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = false } }));
        var absorbed = Some.Profile("prf_anon").After(
            Some.Identify(new JsonObject { ["consent"] = new JsonObject { ["email"] = true, ["sms"] = true } }).LoggedUnder("prf_anon"));

        var merged = ProfileProjection.Absorb(survivor, absorbed);

        Assert.Equal([new("email", false), new("sms", true)], merged.Consent);
        Assert.Equal(3, merged.ConsentHistory.Count);
    }

    [Fact]
    public void After_absorb_an_event_the_absorbed_profile_already_applied_is_a_no_op()
    {
        LoggedEvent order = Some.OrderCompleted("ord_anon_2", 5m).LoggedUnder("prf_anon");
        var absorbed = Some.Profile("prf_anon").After(order);

        var merged = ProfileProjection.Absorb(Known(), absorbed);

        Assert.Same(merged, ProfileProjection.Apply(merged, order));
    }

    [Fact]
    public void Absorb_keeps_the_merges_the_absorbed_profile_made()
    {
        var absorbed = Some.Profile("prf_anon").After(Some.Identify([]).LoggedUnder("prf_anon").Absorbing("prf_older"));

        Assert.Contains(ProfileProjection.Absorb(Known(), absorbed).Merges, m => m.AbsorbedProfileId == "prf_older");
    }
}
