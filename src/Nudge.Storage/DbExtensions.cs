using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Nudge.Storage;

/// <summary>Small ADO.NET conveniences; parameters are named <c>@p0</c>, <c>@p1</c>, ... in order.</summary>
internal static class DbExtensions
{
    public static DbCommand Command(this DbConnection connection, string sql, params object?[] args)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = args[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<T?> ScalarAsync<T>(this DbConnection connection, string sql, CancellationToken ct, params object?[] args)
    {
        await using var command = connection.Command(sql, args);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A command of a transaction with <paramref name="parameters"/> unset parameters, for running many times.</summary>
    public static DbCommand Reusable(this DbConnection connection, DbTransaction transaction, string sql, int parameters)
    {
        var command = connection.Command(sql, new object?[parameters]);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs a reusable command with these parameter values.</summary>
    public static async Task<int> RunAsync(this DbCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>
    /// A JSON text column as a <see cref="JsonElement"/>. SQLite hands out the stored UTF-8 bytes directly: reading them
    /// as a string first would transcode to UTF-16 and back for the parser, on the engine's hottest read.
    /// </summary>
    /// <remarks>
    /// The document is not disposed: its element is kept with the event and reads the bytes read here, which spares
    /// copying them (a disposed document's elements would have to be cloned first).
    /// </remarks>
    public static JsonElement Json(this DbDataReader reader, int ordinal) => reader is SqliteDataReader sqlite
        ? JsonDocument.Parse(sqlite.GetFieldValue<byte[]>(ordinal)).RootElement
        : JsonElement.Parse(reader.GetString(ordinal));

    /// <summary>A JSON column deserialized, from SQLite's UTF-8 bytes without a detour through a string.</summary>
    public static T? FromJson<T>(this DbDataReader reader, int ordinal, JsonSerializerOptions options) => reader is SqliteDataReader sqlite
        ? JsonSerializer.Deserialize<T>(sqlite.GetFieldValue<byte[]>(ordinal), options)
        : JsonSerializer.Deserialize<T>(reader.GetString(ordinal), options);
}
