namespace Nudge.Core.Identity;

/// <summary>The kinds of id that point at a person, strongest first.</summary>
public enum IdentityKind
{
    UserId = 0,
    Email = 1,
    Phone = 2,
    AnonymousId = 3,
}
