using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Nudge.Core.Profiles;
using Nudge.Core.Segments;
using Nudge.Engine.Segments;
using Nudge.Server.Admin;
using Nudge.Storage.Lists;
using Nudge.Storage.Profiles;

namespace Nudge.Server.Lists;

/// <summary>Static lists: definitions, members, CSV import and the signup form snippet (ADR 0008).</summary>
public static class ListsApi
{
    private const int MaxPage = 1000;

    public static RouteGroupBuilder MapListsApi(this RouteGroupBuilder api)
    {
        var lists = api.MapGroup("/lists").WithTags("Lists");
        lists.MapGet("/", ListAsync).WithSummary("Every list of the workspace");
        lists.MapPost("/", CreateAsync).WithSummary("Create a list")
            .Accepts<ListSettings>("application/json").Produces<ListView>(StatusCodes.Status201Created).ProducesValidationProblem();
        lists.MapGet("/{id}", GetAsync).WithSummary("A list");
        lists.MapPut("/{id}", UpdateAsync).WithSummary("Replace a list's settings")
            .Accepts<ListSettings>("application/json").Produces<ListView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        lists.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a list; every member leaves it (List Left events)");
        lists.MapGet("/{id}/count", CountAsync).WithSummary("How many members the list has");
        lists.MapGet("/{id}/members", MembersAsync).WithSummary("Members in profile id order, paged with after");
        lists.MapPost("/{id}/members", AddMemberAsync)
            .WithSummary("Add a person by profileId, email or userId (no opt-in: the admin vouches); unknown emails and user ids create the profile")
            .Accepts<AddMemberRequest>("application/json")
            .Produces<MemberChange>().Produces<MemberChange>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        lists.MapDelete("/{id}/members/{profileId}", RemoveMemberAsync).WithSummary("Take a member off the list");
        lists.MapPost("/{id}/import", ImportAsync)
            .WithSummary("Import members from CSV (header row; email, user_id, first_name, last_name, phone, other columns become traits); " +
                "the body is the file, or a multipart form with the file")
            .Accepts<string>("text/csv", "multipart/form-data")
            .Produces<ImportResult>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        lists.MapGet("/{id}/form", FormAsync).WithSummary("An HTML signup form to paste into a shop page")
            .Produces<string>(contentType: "text/html").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/profiles/{id}/lists", ProfileListsAsync).WithTags("Lists").WithSummary("The lists a profile is on");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ListView>>> ListAsync(HttpContext http, ListStore store, IOptions<ListOptions> options, CancellationToken ct)
    {
        var publicBase = options.Value.PublicBase(http.Request);
        return TypedResults.Ok<IReadOnlyList<ListView>>(
            (await store.ListAsync(AdminAuth.WorkspaceOf(http), ct)).Select(l => ListView.Of(l, publicBase)).ToList());
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ListStore store, IOptions<ListOptions> options, CancellationToken ct)
    {
        var errors = new Errors();
        if (await ListRequests.ReadJsonAsync(http.Request, errors, ct) is not { } body || ListRequests.ReadSettings(body, errors) is not { } draft)
            return Invalid(errors);
        var created = await store.CreateAsync(AdminAuth.WorkspaceOf(http), draft, ct);
        return TypedResults.Created($"/api/lists/{created.Id}", ListView.Of(created, options.Value.PublicBase(http.Request)));
    }

    private static async Task<Results<Ok<ListView>, ProblemHttpResult>> GetAsync(
        HttpContext http, string id, ListStore store, IOptions<ListOptions> options, CancellationToken ct) =>
        await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is { } found
            ? TypedResults.Ok(ListView.Of(found, options.Value.PublicBase(http.Request)))
            : NotFound(id);

    private static async Task<IResult> UpdateAsync(HttpContext http, string id, ListStore store, IOptions<ListOptions> options, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is null)
            return NotFound(id);
        var errors = new Errors();
        if (await ListRequests.ReadJsonAsync(http.Request, errors, ct) is not { } body || ListRequests.ReadSettings(body, errors) is not { } draft)
            return Invalid(errors);
        return await store.UpdateAsync(workspace, id, draft, ct) is { } updated
            ? TypedResults.Ok(ListView.Of(updated, options.Value.PublicBase(http.Request)))
            : NotFound(id);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        HttpContext http, string id, ListStore store, ListWriter writer, SegmentCatalog catalog, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } list)
            return NotFound(id);
        var dependents = catalog.For(workspace).InOrder.Where(s => SegmentReferences.ListsOf(s.Condition).Contains(id)).Select(s => s.Id).ToList();
        if (dependents.Count > 0)
        {
            return TypedResults.Problem(
                detail: $"list '{id}' is used by {string.Join(", ", dependents)}; change those first", statusCode: 409, title: "List in use",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }
        if (!await store.DeleteAsync(workspace, id, ct))
            return NotFound(id);
        await writer.LeaveAllAsync(workspace, list, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ListCountView>, ProblemHttpResult>> CountAsync(
        HttpContext http, string id, ListStore store, ListMembers members, CancellationToken ct)
    {
        if (await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is null)
            return NotFound(id);
        return TypedResults.Ok(new ListCountView(id, await members.CountAsync(id, ct)));
    }

    private static async Task<Results<Ok<ListMembersPage>, ProblemHttpResult>> MembersAsync(
        HttpContext http, string id, string? after, int? limit, ListStore store, ListMembers members, CancellationToken ct)
    {
        if (await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is null)
            return NotFound(id);
        if (limit is < 1 or > MaxPage)
        {
            return TypedResults.Problem(detail: $"limit must be between 1 and {MaxPage}", statusCode: 400, title: "Invalid query",
                extensions: new Dictionary<string, object?> { ["field"] = "limit" });
        }

        var size = limit ?? 100;
        var page = await members.PageAsync(id, after, size, ct);
        return TypedResults.Ok(new ListMembersPage(
            page.Select(m => new ListMemberView(m.ProfileId, m.Email, m.JoinedAt)).ToList(), page.Count == size ? page[^1].ProfileId : null));
    }

    private static async Task<IResult> AddMemberAsync(
        HttpContext http, string id, ListStore store, ListWriter writer, ProfileStore profiles, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } list)
            return NotFound(id);
        var errors = new Errors();
        if (await ListRequests.ReadJsonAsync(http.Request, errors, ct) is not { } body || ListRequests.ReadMember(body, errors) is not { } who)
            return Invalid(errors);
        if (who.ProfileId is { } profileId)
        {
            if (await FindProfileAsync(profiles, workspace, profileId, ct) is not { } profile)
                return ProfileNotFound(profileId, "profileId");
            who = ListSubject.OfProfile(profile.Id);
        }

        var change = await writer.AddAsync(workspace, list, who, "admin", ct);
        return change.Status == MemberChange.AlreadyMember
            ? TypedResults.Ok(change)
            : TypedResults.Accepted($"/api/lists/{id}/members", change);
    }

    private static async Task<Results<Accepted<MemberChange>, ProblemHttpResult>> RemoveMemberAsync(
        HttpContext http, string id, string profileId, ListStore store, ListWriter writer, ProfileStore profiles, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } list)
            return NotFound(id);
        if (await FindProfileAsync(profiles, workspace, profileId, ct) is not { } profile)
            return ProfileNotFound(profileId, "profileId");
        return await writer.RemoveAsync(workspace, list, profile.Id, "admin", ct) is { } change
            ? TypedResults.Accepted($"/api/lists/{id}/members", change)
            : TypedResults.Problem(detail: $"profile '{profileId}' is not on list '{id}'", statusCode: 404, title: "Not a member",
                extensions: new Dictionary<string, object?> { ["field"] = "profileId" });
    }

    private static async Task<IResult> ImportAsync(HttpContext http, string id, ListStore store, ListImport import, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await store.GetAsync(workspace, id, ct) is not { } list)
            return NotFound(id);

        Stream? upload = null;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            if (form.Files.Count == 0)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["attach the CSV file to the form"] }, title: "Invalid import");
            upload = form.Files[0].OpenReadStream();
        }

        await using (upload)
        {
            var (result, problem) = await import.RunAsync(workspace, list, upload ?? http.Request.Body, ct);
            return problem is not null
                ? TypedResults.ValidationProblem(problem.ToDictionary(),
                    detail: "The file cannot be imported; nothing was imported. Fix the fields listed in errors.", title: "Invalid import")
                : TypedResults.Ok(result);
        }
    }

    private static async Task<IResult> FormAsync(
        HttpContext http, string id, string? redirect, ListStore store, IOptions<ListOptions> options, CancellationToken ct)
    {
        if (await store.GetAsync(AdminAuth.WorkspaceOf(http), id, ct) is not { } list)
            return NotFound(id);
        var target = ListRequests.NormalizeUrl(redirect);
        if (redirect is not null && (target is null || !list.AllowedRedirects.Contains(target, StringComparer.Ordinal)))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["redirect"] = ["must be one of the list's allowedRedirects"] }, title: "Invalid form request");
        }
        return TypedResults.Content(SignupForm.Snippet(list, options.Value.PublicBase(http.Request), target), "text/html; charset=utf-8");
    }

    private static async Task<Results<Ok<IReadOnlyList<ProfileListView>>, ProblemHttpResult>> ProfileListsAsync(
        HttpContext http, string id, ProfileStore profiles, ListStore store, CancellationToken ct)
    {
        var workspace = AdminAuth.WorkspaceOf(http);
        if (await FindProfileAsync(profiles, workspace, id, ct) is not { } profile)
            return ProfileNotFound(id, "id");
        var names = (await store.ListAsync(workspace, ct)).ToDictionary(l => l.Id, l => l.Name, StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<ProfileListView>>(profile.Lists
            .Where(l => names.ContainsKey(l.Key))
            .Select(l => new ProfileListView(l.Key, names[l.Key], l.Value))
            .ToList());
    }

    /// <summary>A live profile of the workspace, following merges to the survivor.</summary>
    private static async Task<Profile?> FindProfileAsync(ProfileStore profiles, string workspace, string id, CancellationToken ct)
    {
        var profile = await profiles.LoadAsync(id, ct);
        for (var hops = 0; profile?.MergedInto is { } survivor && hops < 16; hops++)
            profile = await profiles.LoadAsync(survivor, ct);
        return profile is not null && profile.WorkspaceId == workspace && profile.MergedInto is null ? profile : null;
    }

    private static ValidationProblem Invalid(Errors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(),
            detail: "The request is invalid; nothing was changed. Fix the fields listed in errors.", title: "Invalid list request");

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no list with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = "id" });

    private static ProblemHttpResult ProfileNotFound(string id, string field) =>
        TypedResults.Problem(detail: $"no profile with id '{id}' in this workspace", statusCode: 404, title: "Not found",
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
