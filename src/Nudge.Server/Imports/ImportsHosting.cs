using Microsoft.Extensions.Options;
using Nudge.Storage;
using Nudge.Storage.Imports;

namespace Nudge.Server.Imports;

/// <summary>Wires history imports into the host.</summary>
public static class ImportsHosting
{
    public static void AddImports(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ImportsOptions>().Bind(builder.Configuration.GetSection("Nudge:Imports"));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ImportsOptions>>().Value;
            var database = sp.GetRequiredService<Database>();
            if (builder.Configuration["Nudge:Imports:Folder"] is null && database.IsSqlite && database.SqliteFile is { } file)
                options.Folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "imports");
            return options;
        });
        builder.Services.AddSingleton<ImportStore>();
        builder.Services.AddSingleton<ImportStarter>();
        builder.Services.AddSingleton<HistoryImport>();
        builder.Services.AddSingleton<ImportRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ImportRunner>());
    }
}
