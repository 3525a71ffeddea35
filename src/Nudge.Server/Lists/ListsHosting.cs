using Nudge.Storage.Lists;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Lists;

/// <summary>Wires the lists feature into the host.</summary>
public static class ListsHosting
{
    public static WebApplicationBuilder AddLists(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ListOptions>()
            .Bind(builder.Configuration.GetSection("Nudge:Lists"))
            .Configure(options => options.PublicUrl ??= builder.Configuration["Nudge:PublicUrl"])
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ListStore>();
        builder.Services.AddSingleton<ListMembers>();
        builder.Services.AddSingleton<ListSignupStore>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<ListWriter>();
        builder.Services.AddSingleton<ListImport>();
        builder.Services.AddSingleton<ListSignups>();
        builder.Services.AddListRateLimits(builder.Configuration);
        builder.Services.AddHostedService<SignupExpiry>();
        return builder;
    }
}
