using System.Text.Json.Nodes;
using CsvHelper;
using Nudge.Core.Identity;
using Nudge.Core.Ingestion;
using Nudge.Server.Imports;
using Nudge.Storage.Events;
using Nudge.Storage.Lists;

namespace Nudge.Server.Lists;

/// <summary>
/// Imports list members from CSV. Every row is checked on its own: bad rows are reported with their line and
/// reason, good rows are imported. Each good row becomes an identify (its traits, when it has any) and a
/// <c>List Joined</c>, with message ids made from the list and the person, so running the same file again logs
/// nothing new: people already on the list are skipped, and the log drops a join it already has.
/// </summary>
internal sealed class ListImport(EventLog log, ListMembers members, ListWriter writer, TimeProvider time)
{
    /// <summary>Rows looked up and appended together.</summary>
    private const int Chunk = 500;

    private static readonly HashSet<string> IdColumns = ["email", "user_id", "phone"];

    public async Task<(ImportResult? Result, Errors? Problem)> RunAsync(string workspaceId, ListRecord list, Stream csv, CancellationToken ct)
    {
        var region = await writer.RegionAsync(workspaceId, ct);
        var run = new Run();
        var options = CsvFiles.Options(hasHeader: true, (line, message) => run.Errors.Add(line, "row", message));

        await using var reader = CsvReader.Create(csv, options, leaveOpen: true);
        try
        {
            await reader.ReadHeaderAsync(ct);
        }
        catch (CsvFormatException ex)
        {
            return (null, Problem("file", $"is not readable as CSV: {ex.Message}"));
        }
        if (ReadHeader(reader.Headers) is not { } columns)
            return (null, HeaderProblem(reader.Headers));

        var pending = new List<Row>(Chunk);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (await reader.ReadAsync(ct))
            {
                if (ReadRow(reader, columns, region, run) is not { } row)
                    continue;
                if (!seen.Add(row.Who.Key))
                {
                    run.Skipped++;
                    continue;
                }
                pending.Add(row);
                if (pending.Count == Chunk)
                {
                    await ImportAsync(workspaceId, list, pending, region, run, ct);
                    pending.Clear();
                }
            }
        }
        catch (CsvFormatException ex)
        {
            run.Error(ex.LineNumber, "row", "is too long or not valid CSV; the rest of the file was not read");
        }
        await ImportAsync(workspaceId, list, pending, region, run, ct);
        return (new ImportResult(run.Imported, run.Skipped, run.Errors.Shown, (int)run.Errors.NotShown), null);
    }

    private async Task ImportAsync(string workspaceId, ListRecord list, List<Row> rows, string? region, Run run, CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        var standings = await members.StandingsAsync(workspaceId, list.Id, rows.Select(r => ListWriter.KeyOf(r.Who)).ToList(), ct);
        var now = time.GetUtcNow();
        var events = new List<EventToAppend>(rows.Count * 2);
        var joins = new List<int>(rows.Count);
        foreach (var row in rows)
        {
            var standing = standings.GetValueOrDefault(ListWriter.KeyOf(row.Who));
            if (standing is { IsMember: true })
            {
                run.Skipped++;
                continue;
            }
            var changes = standing?.Changes ?? 0;
            if (row.NeedsIdentify)
                events.Add(ListMessages.Identify(workspaceId, row.Who, ListMessages.ImportIdentifyId(list.Id, row.Who, changes, row.Text), now, row.Traits, region));
            joins.Add(events.Count);
            events.Add(ListMessages.Joined(workspaceId, list, row.Who, "import", ListMessages.JoinId(list.Id, row.Who, changes), now, region));
        }
        if (events.Count == 0)
            return;

        var outcomes = await log.AppendAsync(events, ct);
        foreach (var index in joins)
        {
            if (outcomes[index].Duplicate)
                run.Skipped++;
            else
                run.Imported++;
        }
    }

    private static Row? ReadRow(CsvReader reader, Columns columns, string? region, Run run)
    {
        var line = reader.LineNumber;
        if (reader.FieldCount > columns.Names.Length)
        {
            run.Error(line, "row", $"has {reader.FieldCount} fields, but the header names {columns.Names.Length} columns");
            return null;
        }

        string? Field(int index) => index >= 0 && index < reader.FieldCount && reader.GetString(index) is { Length: > 0 } value ? value : null;

        var errorsBefore = run.Errors.Count;
        var emailText = Field(columns.Email);
        var email = ContactNormalizer.Email(emailText);
        if (emailText is not null && email is null)
            run.Error(line, "email", $"'{emailText}' is not a valid email address");
        var userId = Field(columns.UserId);
        if (userId is { Length: > MessageParser.MaxIdLength })
            run.Error(line, "user_id", $"is longer than {MessageParser.MaxIdLength} characters");
        var phoneText = Field(columns.Phone);
        var phone = ContactNormalizer.Phone(phoneText, region);
        if (phoneText is not null && phone is null)
            run.Error(line, "phone", $"'{phoneText}' is not a valid phone number");
        if (emailText is null && userId is null)
            run.Error(line, columns.Email >= 0 ? "email" : "user_id", "is empty; a row needs an email or a user_id");
        if (run.Errors.Count > errorsBefore)
            return null;

        var traits = new JsonObject();
        for (var i = 0; i < columns.Names.Length; i++)
        {
            if (!IdColumns.Contains(columns.Names[i]) && Field(i) is { } value)
                traits[columns.Names[i]] = value;
        }
        var who = new ListSubject(null, userId, email, phone);
        var needsIdentify = traits.Count > 0 || phone is not null || userId is not null && email is not null;
        var text = string.Join('\u001f', Enumerable.Range(0, Math.Min(reader.FieldCount, columns.Names.Length)).Select(i => Field(i) ?? ""));
        return new Row(who, traits, needsIdentify, text);
    }

    /// <summary>The columns by normalized name (trimmed, lower case, spaces and dashes as underscores); null when the header is unusable.</summary>
    private static Columns? ReadHeader(IReadOnlyList<string> headers)
    {
        var names = headers.Select(CsvFiles.Normalize).ToArray();
        if (names.Length == 0 || names.Any(n => n.Length == 0) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            return null;
        var email = Array.IndexOf(names, "email");
        var userId = Array.IndexOf(names, "user_id");
        return email < 0 && userId < 0 ? null : new Columns(names, email, userId, Array.IndexOf(names, "phone"));
    }

    private static Errors HeaderProblem(IReadOnlyList<string> headers)
    {
        var names = headers.Select(CsvFiles.Normalize).ToArray();
        if (names.Length == 0)
            return Problem("file", "is empty; the first line must name the columns (email, user_id, first_name, last_name, phone, ...)");
        if (names.Any(n => n.Length == 0))
            return Problem("header", "has a column without a name");
        if (names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Problem("header", $"names the column '{twice.Key}' twice");
        return Problem("header", "needs an 'email' or a 'user_id' column");
    }

    private static Errors Problem(string field, string message)
    {
        var errors = new Errors();
        errors.Add(field, message);
        return errors;
    }

    private sealed record Columns(string[] Names, int Email, int UserId, int Phone);

    /// <summary>One good row: the person, their traits, and the row's text (which names its identify message).</summary>
    private sealed record Row(ListSubject Who, JsonObject Traits, bool NeedsIdentify, string Text);

    private sealed class Run
    {
        public int Imported { get; set; }

        public int Skipped { get; set; }

        public RowErrors Errors { get; } = new();

        public void Error(long line, string field, string message) => Errors.Add(line, field, message);
    }
}
