/* Names for a module's error codes (0 for success, negative for errors), kept in a table
 * that -err indexes. Shared by the FDT reader and the payload reader. */
#ifndef LIB_ERROR_NAME_H
#define LIB_ERROR_NAME_H

/* names[-err], or `unknown` for a code the table of `count` names does not have. */
static inline const char *error_name(const char *const *names, int count, int err,
                                     const char *unknown)
{
    return err > 0 || err <= -count ? unknown : names[-err];
}

#endif
