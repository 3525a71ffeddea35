using System.Data.Common;
using System.Globalization;

namespace Nudge.Storage.Tests.Support;

/// <summary>Looks into the tables directly, for what the stores deliberately do not expose.</summary>
public static class Sql
{
    public static async Task<long> CountAsync(this Database database, string sql, params object[] args) =>
        Convert.ToInt64(await database.ScalarAsync(sql, args), CultureInfo.InvariantCulture);

    public static async Task<object?> ScalarAsync(this Database database, string sql, params object[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, sql, args);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    public static async Task<List<string[]>> RowsAsync(this Database database, string sql, params object[] args)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await database.OpenAsync(ct);
        await using var command = Command(connection, sql, args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!;
            rows.Add(row);
        }

        return rows;
    }

    private static DbCommand Command(DbConnection connection, string sql, object[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = args[i];
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
