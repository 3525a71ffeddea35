using System.Diagnostics;
using System.Globalization;

namespace Nudge.Bench;

/// <summary>
/// CPU time used so far by this process, by another process (the server), and by the whole machine, read
/// from <c>/proc</c>; the difference of two samples shows who used the cores during a phase.
/// </summary>
internal readonly record struct CpuSample(long At, TimeSpan Client, TimeSpan? Server, TimeSpan MachineBusy, TimeSpan MachineIoWait, TimeSpan MachineTotal)
{
    // USER_HZ: the unit of /proc times; 100 on every Linux configuration the benchmark is meant for.
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int? serverProcessId)
    {
        using var self = Process.GetCurrentProcess();
        var (busy, iowait, total) = Machine();
        return new CpuSample(Stopwatch.GetTimestamp(), self.TotalProcessorTime, serverProcessId is { } pid ? OfProcess(pid) : null, busy, iowait, total);
    }

    /// <summary>Cores used by each party between <paramref name="start"/> and this sample.</summary>
    public CpuUse Since(CpuSample start)
    {
        var wall = Stopwatch.GetElapsedTime(start.At, At).TotalSeconds;
        var total = (MachineTotal - start.MachineTotal).TotalSeconds;
        return new CpuUse(
            (Client - start.Client).TotalSeconds / wall,
            Server is { } s && start.Server is { } s0 ? (s - s0).TotalSeconds / wall : null,
            total > 0 ? (MachineBusy - start.MachineBusy).TotalSeconds / total : 0,
            total > 0 ? (MachineIoWait - start.MachineIoWait).TotalSeconds / total : 0);
    }

    private static TimeSpan? OfProcess(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name may hold spaces; the fields after its closing parenthesis are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static (TimeSpan Busy, TimeSpan IoWait, TimeSpan Total) Machine()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal
            var idle = values[3] + values[4];
            var total = values.Sum();
            return (Seconds(total - idle), Seconds(values[4]), Seconds(total));
        }
        catch (IOException)
        {
            return (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        }

        static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}

/// <summary>Cores used by the client and the server, and the machine's busy and I/O-wait shares (0..1).</summary>
internal readonly record struct CpuUse(double ClientCores, double? ServerCores, double MachineBusy, double MachineIoWait)
{
    /// <summary>Cores used by everything else on the machine (another build, the OS): a noisy neighbour shows here.</summary>
    public double? OtherCores => ServerCores is { } server ? Math.Max(0, MachineBusy * Environment.ProcessorCount - server - ClientCores) : null;
}
