using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Mem0.Functions.Tests.Http;

/// <summary>One function as functions.metadata describes it: its name and its bindings (raw JSON objects).</summary>
internal sealed record FunctionEntry(string Name, IReadOnlyList<JsonElement> Bindings)
{
    public static IReadOnlyList<FunctionEntry> Load(string metadataPath)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(metadataPath));
        return metadata.RootElement.EnumerateArray()
            .Select(f => new FunctionEntry(
                f.GetProperty("name").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone()).ToList()))
            .ToList();
    }

    public static FunctionEntry Http(string name, string? route, params string[] methods) => new(
        name,
        [JsonSerializer.SerializeToElement(new Dictionary<string, object?>
        {
            ["name"] = "request",
            ["direction"] = "In",
            ["type"] = "httpTrigger",
            ["authLevel"] = "Anonymous",
            ["methods"] = methods,
            ["route"] = route,
        })]);
}

/// <summary>
/// The checks the Azure Functions host applies to the functions a worker reports, before it maps a single route
/// (azure-functions-host: <c>WorkerFunctionMetadataProvider.ValidateMetadata</c>, <c>Utility.ValidateName</c> and
/// <c>ValidateBinding</c>, <c>ScriptHost.ValidateFunction</c> / <c>ValidateHttpFunction</c> / <c>HttpRoutesConflict</c>,
/// and the route registration in <c>WebScriptHostHttpRoutesManager</c>). The host has no test double we can run here, so
/// these rules are restated from its source; a function that breaks one is dropped or fails the host at start in
/// Azure, so here it fails the build's tests instead. Each violation names the function and the rule.
/// </summary>
internal static partial class FunctionsHostRules
{
    public static IReadOnlyList<string> Violations(IReadOnlyList<FunctionEntry> functions, string routePrefix)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var violations = new List<string>();
        var httpFunctions = new List<(string Name, string Route, string[] Methods)>();
        foreach (var function in functions)
        {
            // Utility.ValidateName: a letter, then letters, digits, '_' or '-', at most 128 characters; never "host".
            if (!FunctionName().IsMatch(function.Name))
            {
                violations.Add($"{function.Name}: not a valid function name");
            }

            var bindingNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var binding in function.Bindings)
            {
                var bindingName = binding.TryGetProperty("name", out var n) ? n.GetString() : null;
                if (bindingName is null || !BindingName().IsMatch(bindingName))
                {
                    violations.Add($"{function.Name}: binding name '{bindingName}' is invalid");
                }
                else if (!bindingNames.Add(bindingName))
                {
                    violations.Add($"{function.Name}: more than one binding named '{bindingName}'");
                }
            }

            var trigger = function.Bindings.FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger");
            if (trigger.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            // ValidateHttpFunction: no route means the function name; nothing may live in the host's own route space.
            var route = trigger.TryGetProperty("route", out var r) && r.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(r.GetString())
                ? r.GetString()!
                : function.Name;
            var normalized = route.Trim('/').ToLowerInvariant();
            if (normalized.StartsWith("admin", StringComparison.Ordinal) || normalized.StartsWith("runtime", StringComparison.Ordinal))
            {
                violations.Add($"{function.Name}: route '{route}' conflicts with the host's built-in routes (starts with 'admin' or 'runtime')");
            }

            // The host registers prefix + route as an ASP.NET Core route template; one that does not parse, or names an
            // inline constraint the default resolver does not know, fails route registration for the whole app.
            var template = string.IsNullOrEmpty(routePrefix) ? route : routePrefix + "/" + route;
            violations.AddRange(TemplateProblems(template).Select(p => $"{function.Name}: route '{route}' {p}"));

            var methods = trigger.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToArray()
                : [];
            foreach (var other in httpFunctions)
            {
                if (string.Equals(other.Name, function.Name, StringComparison.Ordinal))
                {
                    violations.Add($"{function.Name}: another HTTP function has the same name");
                }
                else if (RoutesConflict(route, methods, other.Route, other.Methods))
                {
                    violations.Add($"{function.Name}: route '{route}' conflicts with the route of function '{other.Name}' (same template, overlapping methods)");
                }
            }

            httpFunctions.Add((function.Name, route, methods));
        }

        return violations;
    }

    /// <summary>HttpRoutesConflict: same template (ignoring surrounding slashes and case) and a method in common; no methods means all.</summary>
    private static bool RoutesConflict(string route, string[] methods, string otherRoute, string[] otherMethods) =>
        string.Equals(route.Trim('/'), otherRoute.Trim('/'), StringComparison.OrdinalIgnoreCase)
        && (methods.Length == 0 || otherMethods.Length == 0 || methods.Intersect(otherMethods, StringComparer.OrdinalIgnoreCase).Any());

    private static IEnumerable<string> TemplateProblems(string template)
    {
        RouteTemplate parsed;
        try
        {
            parsed = TemplateParser.Parse(template);
        }
        catch (ArgumentException ex)
        {
            return [$"is not a valid route template: {ex.Message}"];
        }

        var known = new RouteOptions().ConstraintMap;
        return parsed.Parameters
            .SelectMany(p => p.InlineConstraints.Select(c => (p.Name, Constraint: c.Constraint)))
            .Select(x => (x.Name, Key: x.Constraint.Split('(', 2)[0]))
            .Where(x => !known.ContainsKey(x.Key))
            .Select(x => $"uses the unknown route constraint '{x.Key}' on parameter '{x.Name}'")
            .ToList();
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$")]
    private static partial Regex BindingName();
}
