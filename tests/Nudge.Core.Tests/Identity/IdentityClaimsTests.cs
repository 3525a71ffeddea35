using System.Text.Json.Nodes;
using Nudge.Core.Identity;
using Nudge.Core.Tests.Support;

namespace Nudge.Core.Tests.Identity;

public sealed class IdentityClaimsTests
{
    private static IReadOnlyList<IdentityKey> Claims(JsonObject body, string? defaultRegion = null) =>
        IdentityClaims.Of(Some.Incoming(body), defaultRegion);

    [Fact]
    public void A_message_claims_its_user_id_and_anonymous_id() =>
        Assert.Equal(
            [Some.UserId("user_1"), Some.AnonymousId("anon_1")],
            Claims(Some.TrackCall(userId: "user_1", anonymousId: "anon_1")));

    [Fact]
    public void An_identify_call_claims_the_normalized_email_and_phone_of_its_traits()
    {
        var body = Some.IdentifyCall(traits: new JsonObject { ["email"] = " Ada@Example.com ", ["phone"] = "+49 1512 3456789" });

        Assert.Equal([Some.UserId("user_1"), Some.Email("ada@example.com"), Some.Phone("+4915123456789")], Claims(body));
    }

    [Fact]
    public void A_national_phone_number_is_read_with_the_default_region()
    {
        var body = Some.IdentifyCall(traits: new JsonObject { ["phone"] = "01512 3456789" });

        Assert.Contains(Some.Phone("+4915123456789"), Claims(body, defaultRegion: "DE"));
    }

    [Fact]
    public void The_country_of_the_address_trait_wins_over_the_default_region()
    {
        var body = Some.IdentifyCall(traits: new JsonObject
        {
            ["phone"] = "(650) 253-0000",
            ["address"] = new JsonObject { ["country"] = "US" },
        });

        Assert.Contains(Some.Phone("+16502530000"), Claims(body, defaultRegion: "DE"));
    }

    [Fact]
    public void An_invalid_email_or_phone_is_not_claimed()
    {
        var body = Some.IdentifyCall(traits: new JsonObject { ["email"] = "ada at example", ["phone"] = "12" });

        Assert.Equal([Some.UserId("user_1")], Claims(body, "DE"));
    }

    [Fact]
    public void An_email_that_is_not_a_string_is_not_claimed() =>
        Assert.Equal([Some.UserId("user_1")], Claims(Some.IdentifyCall(traits: new JsonObject { ["email"] = 42 })));

    [Fact]
    public void A_track_call_claims_the_email_of_its_context_traits()
    {
        var body = Some.TrackCall(userId: null, anonymousId: "anon_1");
        body["context"] = new JsonObject { ["traits"] = new JsonObject { ["email"] = "ada@example.com" } };

        Assert.Equal([Some.AnonymousId("anon_1"), Some.Email("ada@example.com")], Claims(body));
    }

    [Fact]
    public void An_identify_call_without_traits_claims_the_email_of_its_context_traits()
    {
        var body = Some.IdentifyCall();
        body["context"] = new JsonObject { ["traits"] = new JsonObject { ["email"] = "ada@example.com" } };

        Assert.Contains(Some.Email("ada@example.com"), Claims(body));
    }

    [Fact]
    public void The_traits_of_a_group_call_describe_the_group_and_claim_nothing()
    {
        // Every member of the company sends the company's email; claiming it would merge them all.
        var body = Some.Call("group", userId: null, anonymousId: "anon_1");
        body["traits"] = new JsonObject { ["name"] = "Initech", ["email"] = "info@initech.example" };

        Assert.Equal([Some.AnonymousId("anon_1")], Claims(body));
    }

    [Fact]
    public void A_group_call_claims_the_email_of_its_context_traits()
    {
        var body = Some.Call("group", userId: null, anonymousId: "anon_1");
        body["traits"] = new JsonObject { ["email"] = "info@initech.example" };
        body["context"] = new JsonObject { ["traits"] = new JsonObject { ["email"] = "ada@example.com" } };

        Assert.Equal([Some.AnonymousId("anon_1"), Some.Email("ada@example.com")], Claims(body));
    }

    [Fact]
    public void An_alias_call_claims_its_previous_id_as_an_anonymous_id()
    {
        var body = Some.Call("alias", userId: "user_1");
        body["previousId"] = "anon_7";

        Assert.Equal([Some.UserId("user_1"), Some.AnonymousId("anon_7")], Claims(body));
    }
}
