using Microsoft.Extensions.Logging.Abstractions;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Smtp;
using Nudge.Testing;

namespace Nudge.Channels.Tests.Support;

/// <summary>Builds the SMTP pool as the server does, pointed at a sink.</summary>
public static class Pools
{
    public static EmailOptions Options(SmtpSink sink, int size = 2, TestDkimKey? key = null, string? mailto = "unsubscribe@shop.example")
    {
        var options = new EmailOptions
        {
            Host = SmtpSink.Address,
            Port = sink.Port,
            Security = "none",
            PoolSize = size,
            From = Some.From,
            UnsubscribeMailto = mailto,
            TimeoutSeconds = 10,
        };
        if (key is not null)
            options.Dkim.Add(key.Options);
        return options;
    }

    public static SmtpPool For(SmtpSink sink, int size = 2, TestDkimKey? key = null, TimeProvider? time = null)
    {
        var options = Options(sink, size, key);
        var clock = time ?? TimeProvider.System;
        return new SmtpPool(options, new EmailComposer(new DkimSigning(options.Dkim, clock), clock, options.UnsubscribeMailto), clock, NullLogger<SmtpPool>.Instance);
    }
}
