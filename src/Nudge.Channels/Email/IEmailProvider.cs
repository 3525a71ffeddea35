using Nudge.Channels.Delivery;

namespace Nudge.Channels.Email;

/// <summary>Where emails go out: an SMTP relay through Nudge's connection pool, or an email API such as Postmark.</summary>
public interface IEmailProvider
{
    /// <summary>Hands one email to the provider and says what it made of it; never throws for a provider's refusal.</summary>
    Task<SendOutcome> SendAsync(OutgoingEmail email, CancellationToken ct);
}
