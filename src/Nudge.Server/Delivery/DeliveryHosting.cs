using Microsoft.Extensions.Options;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Postmark;
using Nudge.Channels.Email.Smtp;
using Nudge.Storage.Delivery;
using Nudge.Storage.Outbox;

namespace Nudge.Server.Delivery;

/// <summary>Wires email delivery into the host: settings, the provider, the worker and the delivery log.</summary>
public static class DeliveryHosting
{
    public static WebApplicationBuilder AddDelivery(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection("Nudge:Smtp");
        builder.Services.AddOptions<EmailOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidation>();
        builder.Services.AddOptions<DeliveryOptions>().Bind(builder.Configuration.GetSection("Nudge:Delivery")).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DeliveryLog>();
        builder.Services.AddSingleton<DeliveryMetrics>();
        // Flow messages are prepared (policy, rendering) whether or not a relay is configured: skips and delays are
        // recorded either way, and prepared messages wait as pending for the relay.
        builder.Services.AddSingleton<DeliveryPolicyStore>();
        builder.Services.AddSingleton<WorkspaceDeliveryPolicies>();
        builder.Services.AddHostedService<MessagePreparation>();
        // SMS goes out once a provider is configured (Nudge:Sms); until then prepared SMS wait as pending.
        if ((builder.Configuration.GetSection("Nudge:Sms").Get<Nudge.Channels.Sms.SmsOptions>() ?? new()).IsConfigured)
        {
            builder.Services.AddSingleton<IHostedService>(sp => Worker(sp, "sms", (message, ct) => ChannelSends.SmsAsync(sp, message, ct)));
        }
        builder.Services.AddSingleton<IHostedService>(sp => Worker(sp, "push", (message, ct) => ChannelSends.PushAsync(sp, message, ct)));
        builder.Services.AddSingleton<IHostedService>(sp => Worker(sp, "webhook", (message, ct) => ChannelSends.WebhookAsync(sp, message, ct)));

        // Without a relay or an API token, messages stay pending in the outbox until one is configured.
        var settings = section.Get<EmailOptions>() ?? new EmailOptions();
        if (!settings.Enabled)
            return builder;

        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value);
        builder.Services.AddSingleton(sp => new DkimSigning(sp.GetRequiredService<IOptions<EmailOptions>>().Value.Dkim, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new EmailComposer(
            sp.GetRequiredService<DkimSigning>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<EmailOptions>>().Value.UnsubscribeMailto));
        if (settings.IsPostmark)
        {
            builder.Services.AddHttpClient<IEmailProvider, PostmarkProvider>(http => http.Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds));
        }
        else
        {
            builder.Services.AddSingleton(sp => new SmtpPool(
                sp.GetRequiredService<IOptions<EmailOptions>>().Value, sp.GetRequiredService<EmailComposer>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SmtpPool>>()));
            builder.Services.AddSingleton<IEmailProvider>(sp => sp.GetRequiredService<SmtpPool>());
        }
        builder.Services.AddHostedService<EmailDelivery>();
        return builder;
    }

    private static ChannelDelivery Worker(
        IServiceProvider sp, string channel, Func<OutboxMessage, CancellationToken, Task<Nudge.Channels.Delivery.SendOutcome>> send) =>
        new(channel, send, sp.GetRequiredService<OutboxStore>(), sp.GetRequiredService<IOptions<DeliveryOptions>>(),
            sp.GetRequiredService<DeliveryMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ChannelDelivery>>());

    /// <summary>Fails the start with the first wrong email setting, named.</summary>
    private sealed class EmailOptionsValidation : IValidateOptions<EmailOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmailOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
