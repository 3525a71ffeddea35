using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nudge.Core.Consent;
using Nudge.Server.Admin;
using Nudge.Server.Hosting;
using Nudge.Storage.Keys;
using Nudge.Storage.Suppressions;

namespace Nudge.Server.Consent;

/// <summary>
/// The suppression list per channel. Only the admin API changes it: the tracking API has no path to it, so no
/// write key, least of all a public browser key, can add or lift a suppression.
/// </summary>
public static class SuppressionsApi
{
    private const int MaxPage = 1000;

    // Written to the list's source column.
    private const string AdminSource = "admin";
    private const string ImportSource = "import";

    // Rows handed to the store at a time; an import file is streamed, never held whole.
    private const int ImportChunk = 1000;

    public static RouteGroupBuilder MapSuppressionsApi(this RouteGroupBuilder api)
    {
        var suppressions = api.MapGroup("/suppressions").WithTags("Suppressions");
        suppressions.MapGet("/", ListAsync).WithSummary("The suppression list in channel and address order, paged with after");
        suppressions.MapPost("/", AddAsync).WithSummary("Suppress an address on a channel (normalized first); no send will reach it");
        suppressions.MapPost("/import", ImportAsync).WithSummary("Suppress the addresses of a CSV file (address,reason per line) on one channel")
            .Accepts<string>("text/csv");
        suppressions.MapGet("/{channel}/{**address}", GetAsync).WithSummary("One suppression");
        suppressions.MapDelete("/{channel}/{**address}", RemoveAsync).WithSummary("Lift a suppression");
        return api;
    }

    private static async Task<Results<Ok<SuppressionsPage>, ProblemHttpResult>> ListAsync(
        HttpContext http, SuppressionStore store, string? channel, string? after, int? limit, CancellationToken ct)
    {
        if (channel is not null && !ConsentChannels.IsKnown(channel))
            return Invalid("channel", "channel must be email, sms or push");
        if (limit is < 1 or > MaxPage)
            return Invalid("limit", $"limit must be between 1 and {MaxPage}");
        (string, string)? cursor = null;
        if (after is not null)
        {
            // The cursor is the last row's channel and address; channels never hold a colon, push endpoints do.
            var colon = after.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                return Invalid("after", "after must be the next value of the previous page (channel:address)");
            cursor = (after[..colon], after[(colon + 1)..]);
        }

        var size = limit ?? 100;
        var page = await store.ListAsync(AdminAuth.WorkspaceOf(http), channel, cursor, size, ct);
        return TypedResults.Ok(new SuppressionsPage(
            page.Select(SuppressionView.Of).ToList(), page.Count == size ? $"{page[^1].Channel}:{page[^1].Address}" : null));
    }

    private static async Task<Results<Created<SuppressionView>, Ok<SuppressionView>, ValidationProblem>> AddAsync(
        HttpContext http, SuppressionStore store, KeyStore keys, IOptions<NudgeOptions> options, SuppressionBody body, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        var errors = new Dictionary<string, string[]>();
        var region = await RegionAsync(keys, options, workspace, ct);
        string? address = null;
        if (!ConsentChannels.IsKnown(body.Channel))
            errors["channel"] = ["is required: email, sms or push"];
        else if ((address = SuppressionAddress.Normalize(body.Channel!, body.Address, region)) is null)
            errors["address"] = [SuppressionAddress.Expected(body.Channel!)];
        var reason = body.Reason is null ? SuppressionReason.Manual : SuppressionReasons.Parse(body.Reason);
        if (reason is null)
            errors["reason"] = [$"must be {SuppressionReasons.Expected}"];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, detail: "Nothing was suppressed. Fix the fields listed in errors.", title: "Invalid suppression");

        var (stored, added) = await store.AddAsync(workspace, body.Channel!, address!, reason!.Value, AdminSource, ct);
        var view = SuppressionView.Of(stored);
        return added ? TypedResults.Created(Location(stored), view) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<SuppressionView>, ProblemHttpResult>> GetAsync(
        HttpContext http, SuppressionStore store, KeyStore keys, IOptions<NudgeOptions> options, string channel, string address, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await AddressAsync(keys, options, workspace, channel, address, ct) is not { } normalized)
            return Invalid(ConsentChannels.IsKnown(channel) ? "address" : "channel", $"'{address}' is not an address of channel '{channel}'");
        return await store.GetAsync(workspace, channel, normalized, ct) is { } found
            ? TypedResults.Ok(SuppressionView.Of(found))
            : NotFound(channel, normalized);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        HttpContext http, SuppressionStore store, KeyStore keys, IOptions<NudgeOptions> options, string channel, string address, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await AddressAsync(keys, options, workspace, channel, address, ct) is not { } normalized)
            return Invalid(ConsentChannels.IsKnown(channel) ? "address" : "channel", $"'{address}' is not an address of channel '{channel}'");
        return await store.RemoveAsync(workspace, channel, normalized, ct) ? TypedResults.NoContent() : NotFound(channel, normalized);
    }

    /// <summary>
    /// Valid rows are imported even when others are not: suppressing what can be read protects people at once, and the
    /// report names every rejected line for a second run (which leaves what is already suppressed as it is).
    /// </summary>
    private static async Task<Results<Ok<SuppressionImportReport>, ProblemHttpResult>> ImportAsync(
        HttpContext http, SuppressionStore store, KeyStore keys, IOptions<NudgeOptions> options, string? channel, CancellationToken ct)
    {
        if (!ConsentChannels.IsKnown(channel))
            return Invalid("channel", "channel is required: email, sms or push (the channel every address of the file is suppressed on)");

        var workspace = AdminAuth.WorkspaceOf(http);
        var region = await RegionAsync(keys, options, workspace, ct);
        var rejected = new List<RejectedRow>();
        var pending = new List<SuppressionRequest>();
        int added = 0, valid = 0, number = 0;
        using var reader = new StreamReader(http.Request.Body);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var fields = CsvText.Split(line);
            if (fields is null)
            {
                rejected.Add(new RejectedRow(number, null, "a quoted field is not closed on its line"));
                continue;
            }
            if (valid == 0 && rejected.Count == 0 && fields[0].Trim().Equals("address", StringComparison.OrdinalIgnoreCase))
                continue;

            var address = SuppressionAddress.Normalize(channel!, fields[0], region);
            var reasonText = fields.Count > 1 && !string.IsNullOrWhiteSpace(fields[1]) ? fields[1] : null;
            var reason = reasonText is null ? SuppressionReason.Manual : SuppressionReasons.Parse(reasonText);
            if (address is null)
                rejected.Add(new RejectedRow(number, "address", $"'{fields[0].Trim()}' {SuppressionAddress.Expected(channel!)}"));
            else if (reason is null)
                rejected.Add(new RejectedRow(number, "reason", $"'{reasonText!.Trim()}' is not a reason: expected {SuppressionReasons.Expected}"));
            else
            {
                valid++;
                pending.Add(new SuppressionRequest(channel!, address, reason.Value));
            }

            if (pending.Count >= ImportChunk)
            {
                added += await store.AddManyAsync(workspace, pending, ImportSource, ct);
                pending.Clear();
            }
        }
        added += await store.AddManyAsync(workspace, pending, ImportSource, ct);
        return TypedResults.Ok(new SuppressionImportReport(added, valid - added, rejected));
    }

    private static async Task<string?> AddressAsync(
        KeyStore keys, IOptions<NudgeOptions> options, string workspace, string channel, string address, CancellationToken ct)
    {
        if (!ConsentChannels.IsKnown(channel))
            return null;
        // A push endpoint in the path may come with its slashes encoded.
        var text = address.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return SuppressionAddress.Normalize(channel, text, await RegionAsync(keys, options, workspace, ct));
    }

    private static async Task<string?> RegionAsync(KeyStore keys, IOptions<NudgeOptions> options, string workspace, CancellationToken ct) =>
        (await keys.FindWorkspaceAsync(workspace, ct))?.DefaultRegion ?? options.Value.DefaultRegion;

    private static string Location(Suppression s) => $"/api/suppressions/{s.Channel}/{Uri.EscapeDataString(s.Address)}";

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: 400, title: "Invalid request", extensions: new Dictionary<string, object?> { ["field"] = field });

    private static ProblemHttpResult NotFound(string channel, string address) =>
        TypedResults.Problem(detail: $"'{address}' is not suppressed on {channel}", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "address" });
}
