using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Nudge.Core.Flows;

namespace Nudge.Server.Cli;

/// <summary>
/// <c>nudge simulate --flow flow.json --script script.json</c>: runs a flow definition against a simulation script
/// in virtual time, offline (no server, no database), and prints what would be sent when and why. The script has the
/// shape of <c>POST /api/flows/{id}/simulate</c>'s body with a described profile.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var flowFile = new Option<FileInfo>("--flow") { Description = "The flow definition (JSON)", Required = true };
        var scriptFile = new Option<FileInfo>("--script") { Description = "The simulation script (JSON): profile, trigger, events, start, horizon", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("simulate", "Run a flow in virtual time for a described profile and print what would be sent when") { flowFile, scriptFile, json };
        command.SetAction(async (parse, ct) =>
        {
            using var flowJson = JsonDocument.Parse(await File.ReadAllTextAsync(parse.GetValue(flowFile)!.FullName, ct));
            var flow = FlowDefinitionReader.Read(flowJson.RootElement);
            using var scriptJson = JsonDocument.Parse(await File.ReadAllTextAsync(parse.GetValue(scriptFile)!.FullName, ct));
            var (script, errors) = SimulationScriptReader.Read(scriptJson.RootElement, null, "ws_simulation", DateTimeOffset.UtcNow);
            var problems = flow.Errors.Select(e => $"flow {e.Field}: {e.Message}").Concat(errors.Select(e => $"script {e.Field}: {e.Message}")).ToList();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    await Console.Error.WriteLineAsync(problem);
                return 2;
            }

            var result = FlowSimulation.Run(flow.Definition!, "flw_simulation", script!);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
            else
                Print(result, script!.Start);
            return 0;
        });
        return command;
    }

    private static void Print(SimulationResult result, DateTimeOffset start)
    {
        if (!result.Entered)
        {
            Console.WriteLine($"Does not enter: {result.NotEnteredReason}");
            return;
        }
        Console.WriteLine("Path:");
        foreach (var line in result.Path)
            Console.WriteLine($"  {Offset(line.At - start),-10} {line.StepId,-16} {line.Outcome}");
        Console.WriteLine(result.Actions.Count == 0 ? "Nothing would be sent." : "Would do:");
        foreach (var action in result.Actions)
            Console.WriteLine($"  {Offset(action.At - start),-10} {action.StepId,-16} {action.Kind} {action.Channel} {action.TemplateId} {action.Detail}".TrimEnd());
        Console.WriteLine(result.Status == "active"
            ? $"Still waiting in {result.Step} at the horizon (until {result.WaitingUntil:u})."
            : $"Run {result.Status} at {result.Step} ({result.EndReason}).");
    }

    private static string Offset(TimeSpan span) =>
        "+" + (span.TotalDays >= 1 ? span.ToString(@"d\d\ hh\:mm", CultureInfo.InvariantCulture) : span.ToString(@"hh\:mm", CultureInfo.InvariantCulture));
}
