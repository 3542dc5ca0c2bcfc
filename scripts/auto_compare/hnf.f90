!----------------------------------------------------------------------
! hnf: the Hopf normal form, continued in mu = PAR(1), w = PAR(2) = 2.5:
!   x' = mu x - w y - x (x^2 + y^2),   y' = w x + mu y - y (x^2 + y^2)
! The origin has the eigenvalues mu +- i w: Hopf point at mu = 0, frequency w.
!----------------------------------------------------------------------
SUBROUTINE FUNC(NDIM,U,ICP,PAR,IJAC,F,DFDU,DFDP)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM, ICP(*), IJAC
  DOUBLE PRECISION, INTENT(IN) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(OUT) :: F(NDIM)
  DOUBLE PRECISION, INTENT(INOUT) :: DFDU(NDIM,NDIM), DFDP(NDIM,*)
  DOUBLE PRECISION R2
  R2 = U(1)**2 + U(2)**2
  F(1) = PAR(1)*U(1) - PAR(2)*U(2) - U(1)*R2
  F(2) = PAR(2)*U(1) + PAR(1)*U(2) - U(2)*R2
END SUBROUTINE FUNC

SUBROUTINE STPNT(NDIM,U,PAR,T)
  IMPLICIT NONE
  INTEGER, INTENT(IN) :: NDIM
  DOUBLE PRECISION, INTENT(INOUT) :: U(NDIM), PAR(*)
  DOUBLE PRECISION, INTENT(IN) :: T
  PAR(1) = -1; PAR(2) = 2.5
  U(1) = 0; U(2) = 0
END SUBROUTINE STPNT

SUBROUTINE BCND
END SUBROUTINE BCND
SUBROUTINE ICND
END SUBROUTINE ICND
SUBROUTINE FOPT
END SUBROUTINE FOPT
SUBROUTINE PVLS
END SUBROUTINE PVLS
