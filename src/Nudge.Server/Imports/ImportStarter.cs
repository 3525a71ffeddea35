using System.Security.Cryptography;
using System.Text;
using Nudge.Server.Lists;
using Nudge.Storage.Imports;

namespace Nudge.Server.Imports;

/// <summary>
/// Checks a file before it is imported (format, header, the columns its kind needs) and registers the import under
/// the file's fingerprint: the same file with the same kind and mapping is the same import, so running it again
/// finds the earlier one (done: nothing to do; interrupted: continue it).
/// </summary>
internal sealed class ImportStarter(ImportStore store)
{
    /// <summary>
    /// Registers (or finds) the import of the file at <c>path</c>; null with <c>errors</c> filled when it cannot be
    /// imported. <c>keptPath</c> is where the server keeps an uploaded file (null when the CLI reads it in place).
    /// </summary>
    public async Task<(ImportRecord Import, bool Created)?> StartAsync(
        string workspaceId, ImportKind kind, string? format, ImportMapping mapping, string path, string fileName, string? keptPath, Errors errors,
        CancellationToken ct)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            errors.Add("file", "is empty");
            return null;
        }
        var start = new byte[64];
        int read;
        await using (var peek = File.OpenRead(path))
            read = await peek.ReadAsync(start, ct);
        format ??= ImportFormats.Guess(fileName, start.AsSpan(0, read));
        await CheckColumnsAsync(kind, format, mapping, path, errors, ct);
        if (errors.Any)
            return null;

        var fingerprint = await FingerprintAsync(kind, format, mapping, path, ct);
        var (import, created) = await store.StartAsync(workspaceId, kind.Name, format, fileName, fingerprint, mapping.ToJson(), keptPath, info.Length, ct);
        if (import.Status == ImportStatus.Failed)
        {
            // A failure is about the file as a whole (it vanished, or could not be read): a new attempt starts afresh.
            await store.DeleteAsync(import.Id, ct);
            (import, created) = await store.StartAsync(workspaceId, kind.Name, format, fileName, fingerprint, mapping.ToJson(), keptPath, info.Length, ct);
        }
        return (import, created);
    }

    /// <summary>The columns a kind cannot do without, as the first lines of a CSV file show them.</summary>
    private static async Task CheckColumnsAsync(ImportKind kind, string format, ImportMapping mapping, string path, Errors errors, CancellationToken ct)
    {
        var rows = new RowErrors();
        await using var source = RowSource.Open(format, path, 0, 1, null, rows);
        try
        {
            await source.StartAsync(ct);
        }
        catch (ImportFileException ex)
        {
            errors.Add(ex.Field, ex.Message);
            return;
        }
        foreach (var missing in source.Bind(kind, mapping))
            errors.Add("mapping", $"names the column '{missing}', which the file does not have");
        bool Lacks(string field) => source.Lacks(kind.IndexOf(field));
        string Hint(string field) => $"needs a '{field}' column, or a mapping naming the column that holds it ({field}=Column)";
        if (kind.Name == ImportKind.OrdersName)
        {
            foreach (var field in new[] { "order_id", "timestamp" }.Where(Lacks))
                errors.Add("header", Hint(field));
            if (Lacks("email") && Lacks("user_id") && Lacks("phone"))
                errors.Add("header", "needs an 'email', 'user_id' or 'phone' column (or a mapping naming one)");
        }
        else if (Lacks("email") && Lacks("user_id"))
        {
            errors.Add("header", "needs an 'email' or a 'user_id' column (or a mapping naming one)");
        }
    }

    private static async Task<string> FingerprintAsync(ImportKind kind, string format, ImportMapping mapping, string path, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{kind.Name}\n{format}\n{mapping.ToJson()}\n"));
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = await file.ReadAsync(buffer, ct)) > 0)
            hash.AppendData(buffer, 0, read);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
