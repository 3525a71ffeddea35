using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Nudge.Channels.Delivery;
using Nudge.Channels.Email;
using Nudge.Channels.Email.Smtp;
using Nudge.Testing;

namespace Nudge.Bench.Email;

/// <summary>
/// The Nudge side of the <c>email</c> benchmark, run as its own process (<c>nudge-bench email-sender</c>): personalized
/// mails composed, DKIM-signed and sent through Nudge's SMTP pool into the sink, timed after a warm-up.
/// </summary>
internal static class EmailSender
{
    /// <summary>About how large each mail is, like smtp-source's <c>-l</c> in the same run.</summary>
    public const int MessageBytes = 2000;
    private const string ResultPrefix = "email-sender result: ";

    /// <summary>What the sender measured.</summary>
    /// <param name="Rate">Mails per second in the timed part.</param>
    /// <param name="BusyCores">Cores busy on the whole machine meanwhile.</param>
    /// <param name="PerCoreSecond">Mails per CPU-second of the sender's process.</param>
    /// <param name="Sent">Mails the sink accepted in the timed part.</param>
    /// <param name="SinkCpuPerMail">CPU time smtp-sink spent per mail, in milliseconds (NaN when it could not be read).</param>
    internal sealed record Result(double Rate, double BusyCores, double PerCoreSecond, int Sent, double SinkCpuPerMail);

    /// <summary>The command line that runs the sender against the sink on <paramref name="port"/>.</summary>
    public static IEnumerable<string> Arguments(int port, int? sinkProcess, EmailSettings settings) =>
    [
        "email-sender", "--port", port.ToString(CultureInfo.InvariantCulture), "--sink-pid", (sinkProcess ?? 0).ToString(CultureInfo.InvariantCulture), "--messages", settings.Messages.ToString(CultureInfo.InvariantCulture),
        "--warmup", settings.Warmup.ToString(CultureInfo.InvariantCulture), "--connections", settings.Connections.ToString(CultureInfo.InvariantCulture),
        "--concurrency", settings.Concurrency.ToString(CultureInfo.InvariantCulture),
    ];

    /// <summary>The result line in the sender's output, or null.</summary>
    public static Result? Read(string output) =>
        output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal)) is { } line
            ? JsonSerializer.Deserialize<Result>(line[ResultPrefix.Length..])
            : null;

    /// <summary>Sends and prints the result line.</summary>
    public static async Task<int> RunAsync(int port, int sinkProcess, EmailSettings settings, CancellationToken ct)
    {
        using var rsa = RSA.Create(2048);
        var options = new EmailOptions
        {
            Host = SmtpSink.Address,
            Port = port,
            Security = "none",
            PoolSize = settings.Connections,
            From = "Demo Shop <news@shop.example>",
            UnsubscribeMailto = "unsubscribe@shop.example",
        };
        options.Dkim.Add(new DkimKeyOptions { Domain = "shop.example", Selector = "bench", PrivateKey = rsa.ExportRSAPrivateKeyPem() });
        var time = TimeProvider.System;
        await using var pool = new SmtpPool(options, new EmailComposer(new DkimSigning(options.Dkim, time), time, options.UnsubscribeMailto), time, NullLogger<SmtpPool>.Instance);

        await SendAsync(pool, settings.Concurrency, 0, settings.Warmup, ct);
        int? sink = sinkProcess > 0 ? sinkProcess : null;
        var cpu = CpuSample.Take(sink);
        var clock = Stopwatch.StartNew();
        var failed = await SendAsync(pool, settings.Concurrency, settings.Warmup, settings.Messages, ct);
        var elapsed = clock.Elapsed;
        var use = CpuSample.Take(sink).Since(cpu);
        if (failed > 0)
            Console.WriteLine($"  {failed:N0} messages were not accepted");
        var result = new Result(settings.Messages / elapsed.TotalSeconds, use.MachineBusy * Environment.ProcessorCount,
            settings.Messages / (use.ClientCores * elapsed.TotalSeconds), settings.Messages - failed,
            use.ServerCores is { } sinkCores ? sinkCores * elapsed.TotalMilliseconds / settings.Messages : double.NaN);
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<int> SendAsync(SmtpPool pool, int concurrency, int first, int count, CancellationToken ct)
    {
        var next = first - 1;
        var failed = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < first + count)
            {
                var outcome = await pool.SendAsync(Personalized(i), ct);
                if (outcome.Kind != SendOutcomeKind.Accepted)
                    Interlocked.Increment(ref failed);
            }
        }, ct)));
        return failed;
    }

    private static readonly string[] Names = ["Ada", "Bruno", "Chiara", "Dmitri", "Emma", "Farid", "Greta", "Hiro"];
    private static readonly string[] Products = ["Trail Runner", "City Sneaker", "Rain Jacket", "Wool Socks", "Day Pack", "Water Bottle"];

    /// <summary>A newsletter of about 2 KB (like smtp-source's <c>-l 2000</c>) with the person's name, products and links.</summary>
    private static OutgoingEmail Personalized(int i)
    {
        var name = Names[i % Names.Length];
        var html = new StringBuilder(MessageBytes);
        var text = new StringBuilder(MessageBytes / 2);
        html.Append(CultureInfo.InvariantCulture, $"<html><body><p>Hello {name},</p><p>We picked these for you this week:</p><ul>");
        text.Append(CultureInfo.InvariantCulture, $"Hello {name},\n\nWe picked these for you this week:\n");
        for (var p = 0; p < 4; p++)
        {
            var product = Products[(i + p) % Products.Length];
            var price = 19.9m + (i + p) % 50;
            html.Append(CultureInfo.InvariantCulture,
                $"<li><a href=\"https://shop.example/p/{(i + p) % 997}?utm_source=nudge&amp;utm_medium=email\">{product}</a> for {price} EUR</li>");
            text.Append(CultureInfo.InvariantCulture, $"- {product} for {price} EUR: https://shop.example/p/{(i + p) % 997}\n");
        }
        html.Append("</ul><p>Happy shopping!</p></body></html>");
        text.Append("\nHappy shopping!\n");
        return new OutgoingEmail($"bench:{i}", "Demo Shop <news@shop.example>", $"customer{i}@example.org", $"{name}, your picks for this week",
            html.ToString(), text.ToString(), new Uri($"https://nudge.shop.example/unsubscribe/prf_{i}?channel=email&token=0.{i:x8}"));
    }
}
