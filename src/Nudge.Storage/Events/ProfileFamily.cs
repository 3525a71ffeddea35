using System.Data.Common;

namespace Nudge.Storage.Events;

/// <summary>A profile together with every profile merged into it, directly or through earlier merges.</summary>
public static class ProfileFamily
{
    public static async Task<IReadOnlyList<string>> IdsAsync(DbConnection connection, DbTransaction? transaction, string profileId, CancellationToken ct)
    {
        var ids = new List<string> { profileId };
        for (var i = 0; i < ids.Count; i++)
        {
            await using var command = connection.Command("SELECT absorbed_id FROM profile_merges WHERE survivor_id = @p0", ids[i]);
            command.Transaction = transaction;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var absorbed = reader.GetString(0);
                if (!ids.Contains(absorbed))
                    ids.Add(absorbed);
            }
        }
        return ids;
    }
}
