using Nudge.Channels.Sms;

namespace Nudge.Server.Sms;

/// <summary>SMS: the provider settings, the sender the delivery worker calls, and the inbound keyword webhook.</summary>
public static class SmsSetup
{
    public static WebApplicationBuilder AddSms(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SmsOptions>().Bind(builder.Configuration.GetSection("Nudge:Sms"))
            .Validate(o => o.BaseUrl.IsAbsoluteUri && o.Timeout > TimeSpan.Zero,
                "Nudge:Sms: BaseUrl must be an absolute URL and Timeout positive")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new SmsSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmsOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapSmsApi(this IEndpointRouteBuilder app)
    {
        SmsInboundApi.Map(app);
        return app;
    }
}
