using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Nudge.Bench;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, string Os, string Runtime, string Storage)
{
    public static MachineInfo Describe(string folder) => new(
        Environment.ProcessorCount,
        CpuModel(),
        OsName(),
        RuntimeInformation.FrameworkDescription,
        FileSystemOf(folder));

    private static string CpuModel()
    {
        try
        {
            using var lscpu = Process.Start(new ProcessStartInfo("lscpu") { RedirectStandardOutput = true, UseShellExecute = false });
            if (lscpu is null)
                return "unknown";
            var output = lscpu.StandardOutput.ReadToEnd();
            lscpu.WaitForExit();
            return output.Split('\n')
                .Where(l => l.StartsWith("Model name:", StringComparison.Ordinal))
                .Select(l => l["Model name:".Length..].Trim())
                .FirstOrDefault() ?? "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown (no lscpu)";
        }
    }

    private static string OsName()
    {
        var pretty = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").Where(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                .Select(l => l["PRETTY_NAME=".Length..].Trim('"')).FirstOrDefault()
            : null;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;
        return pretty is null ? RuntimeInformation.OSDescription : kernel is null ? pretty : $"{pretty}, Linux {kernel}";
    }

    /// <summary>The file system the databases live on: fsync costs differ wildly between ext4 on a disk and tmpfs.</summary>
    private static string FileSystemOf(string folder)
    {
        if (!File.Exists("/proc/mounts"))
            return "unknown";
        var path = Path.GetFullPath(folder);
        var best = File.ReadLines("/proc/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 2 && IsUnder(path, f[1]))
            .MaxBy(f => f[1].Length);
        return best is null ? "unknown" : $"{best[2]} on {best[0]} ({path})";

        static bool IsUnder(string path, string mount) =>
            mount == "/" || path == mount || path.StartsWith(mount.TrimEnd('/') + "/", StringComparison.Ordinal);
    }
}
