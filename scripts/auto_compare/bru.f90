!----------------------------------------------------------------------
! bru: the Brusselator, continued in b = PAR(1), a = PAR(2) = 1.5:
!   x' = a - (b + 1) x + x^2 y,   y' = b x - x^2 y
! Equilibrium (a, b/a); Hopf point at b = 1 + a^2 with frequency a.
!----------------------------------------------------------------------
SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC
  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)
  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)
  F(1) = PAR(2) - (PAR(1) + 1)*U(1) + U(1)**2*U(2)
  F(2) = PAR(1)*U(1) - U(1)**2*U(2)
END SUBROUTINE FUNC

SUBROUTINE STPNT(NDIM,U,PAR,T)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM
  DOUBLE PRECISION, INTENT(INOUT) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(IN) :: T
  PAR(1) = 0.1; PAR(2) = 1.5
  U(1) = 1.5; U(2) = 0.1/1.5
END SUBROUTINE STPNT

SUBROUTINE BCND
END SUBROUTINE BCND
SUBROUTINE ICND
END SUBROUTINE ICND
SUBROUTINE FOPT
END SUBROUTINE FOPT
SUBROUTINE PVLS
END SUBROUTINE PVLS
