using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Nudge.Core.Delivery;
using Nudge.Server.Admin;
using Nudge.Storage.Delivery;

namespace Nudge.Server.Delivery;

/// <summary><c>/api/delivery/policy</c>: the workspace's smart sending, frequency caps, quiet hours and consent settings (ADR 0020).</summary>
public static class DeliveryPolicyApi
{
    public static RouteGroupBuilder MapDeliveryPolicyApi(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/delivery/policy").WithTags("Delivery policy");
        policy.MapGet("/", GetAsync).WithSummary("The workspace's delivery policy settings, defaults filled in");
        policy.MapPut("/", PutAsync)
            .WithSummary("Replaces the workspace's delivery policy settings; the next message prepared follows them")
            .WithDescription("The whole document, as GET returns it. Windows are { \"hours\": 16 } or ISO-8601 (\"PT16H\"), clock times \"21:00\"; "
                + "false or leaving a channel out turns its smart sending or quiet hours off. With version, the change is refused (409) "
                + "when the settings changed since that version.")
            .Accepts<DeliveryPolicyView>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<DeliveryPolicyView>> GetAsync(HttpContext http, DeliveryPolicyStore store, CancellationToken ct) =>
        TypedResults.Ok(DeliveryPolicyView.Of(await store.GetAsync(AdminAuth.WorkspaceOf(http), ct)));

    private static async Task<Results<Ok<DeliveryPolicyView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        HttpContext http, DeliveryPolicyStore store, WorkspaceDeliveryPolicies policies, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            return Invalid([new("body", $"is not valid JSON: {ex.Message}")]);
        }

        using (document)
        {
            var body = document.RootElement;
            var read = DeliveryPolicyJson.Read(body);
            var errors = read.Errors.ToList();
            long? expected = null;
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("version", out var version) && version.ValueKind != JsonValueKind.Null)
            {
                if (version.TryGetInt64(out var v) && v >= 0)
                    expected = v;
                else
                    errors.Add(new("version", "must be the version GET returned (a whole number, 0 or more), or left out to overwrite whatever is there"));
            }
            if (errors.Count > 0)
                return Invalid(errors);

            var workspace = AdminAuth.WorkspaceOf(http);
            if (await store.SaveAsync(workspace, read.Settings!, expected, ct) is not { } saved)
            {
                var current = await store.GetAsync(workspace, ct);
                return TypedResults.Problem(
                    detail: $"The settings changed since version {expected}: they are at version {current.Version} now. "
                        + "GET them again, make your change there and PUT it with that version; nothing was saved.",
                    statusCode: StatusCodes.Status409Conflict, title: "Delivery policy changed meanwhile",
                    extensions: new Dictionary<string, object?> { ["field"] = "version" });
            }
            policies.Forget(workspace);
            return TypedResults.Ok(DeliveryPolicyView.Of(saved));
        }
    }

    private static ValidationProblem Invalid(IEnumerable<Nudge.Core.Ingestion.FieldError> errors) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            detail: "The delivery policy settings are invalid; nothing was saved. Fix the fields listed in errors.",
            title: "Invalid delivery policy");
}

/// <summary>
/// A workspace's delivery policy settings (docs/delivery-policy.md). A channel left out of <c>smartSending</c> or
/// <c>quietHours</c> has none.
/// </summary>
/// <param name="Version">0 while the workspace has the defaults; one more with each change. Send it back with a PUT to refuse overwriting someone else's change.</param>
/// <param name="UpdatedAt">When the settings were last changed; null for the defaults.</param>
/// <param name="SmartSending">Per channel (email, sms, push, webhook): at most one marketing message per person within the window.</param>
/// <param name="FrequencyCaps">At most max marketing messages of a channel within the window, across all flows and campaigns.</param>
/// <param name="QuietHours">Per channel: local hours (the person's time zone) in which messages wait; start included, end not.</param>
/// <param name="FallbackTimeZone">IANA time zone for quiet hours of people without a (known) time zone.</param>
/// <param name="ChannelsWithoutOptIn">Channels (email, sms, push) on which a person who never subscribed may get marketing.</param>
/// <param name="QuietHoursHoldTransactional">Whether transactional messages (receipts) wait for the end of quiet hours too.</param>
public sealed record DeliveryPolicyView(
    long Version,
    DateTimeOffset? UpdatedAt,
    IReadOnlyDictionary<string, DurationParts> SmartSending,
    IReadOnlyList<FrequencyCapDocument> FrequencyCaps,
    IReadOnlyDictionary<string, QuietHoursDocument> QuietHours,
    string FallbackTimeZone,
    IReadOnlyList<string> ChannelsWithoutOptIn,
    bool QuietHoursHoldTransactional)
{
    public static DeliveryPolicyView Of(StoredDeliveryPolicy stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var document = DeliveryPolicyJson.Write(stored.Settings);
        return new(stored.Version, stored.UpdatedAt, document.SmartSending, document.FrequencyCaps, document.QuietHours,
            document.FallbackTimeZone, document.ChannelsWithoutOptIn, document.QuietHoursHoldTransactional);
    }
}
